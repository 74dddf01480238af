#!/usr/bin/env python3
"""Splits a system-wide `perf record -a -g` taken during an S3 benchmark row: CPU share per process
(the Coffer server, the benchmark client, s3proxy, everything else on the machine), and inside one
process, per layer of the leaf frame (kernel: network, file system/block, scheduler, syscalls;
JVM: GC, JIT compiler, interpreter; RocksDB; JIT-compiled Java code by package).

Usage: perf script -i perf.data -F comm,pid,tid,ip,sym,dso | perf_split.py <server pid> <client pid>
JIT symbols need the JVMs started with -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit.
"""
import collections
import re
import sys

KERNEL_NET = re.compile(r"(tcp|inet|ip_|sock|skb|__dev_|net_|loopback|__netif|napi|sk_|__sys_sendto|__sys_recvfrom|sendmsg|recvmsg|__x64_sys_(sendto|recvfrom|write|read|writev)|copy_user|_copy_to_iter|_copy_from_iter)")
KERNEL_FS = re.compile(r"(ext4|jbd2|blk_|bio_|submit_bio|iomap|filemap|page_cache|__filemap|folio|generic_perform_write|fsync|sync_|writeback|virtblk|nvme|vfs_|do_sys_open|path_|dentry|inode|mark_buffer|xattr|unlink|rename)")
KERNEL_SCHED = re.compile(r"(schedule|futex|__switch_to|finish_task_switch|try_to_wake_up|pick_next|enqueue_|dequeue_|do_nanosleep|hrtimer|ep_poll|do_epoll|__x64_sys_epoll|eventfd)")


def layer(sym, dso):
    if dso.startswith("[kernel") or dso == "[unknown]" and sym.startswith("0xffff"):
        if KERNEL_NET.search(sym):
            return "kernel: network (loopback TCP, socket copies)"
        if KERNEL_FS.search(sym):
            return "kernel: file system, page cache, block"
        if KERNEL_SCHED.search(sym):
            return "kernel: scheduler, futex, epoll"
        return "kernel: other (syscall entry, memory, irq)"
    if "librocksdb" in dso:
        return "RocksDB native"
    if "libjvm" in dso:
        if re.search(r"(G1|GC|Gc|gc|Heap|Evacuat|Mark|Card|Region|PLAB|Oop.*Closure)", sym):
            return "JVM: GC"
        if re.search(r"(Compile|C2|C1|Phase|Node|Parse|LIR|Matcher|PhaseIdealLoop|Type)", sym):
            return "JVM: JIT compiler"
        if re.search(r"(Interpreter|Bytecode)", sym):
            return "JVM: interpreter"
        return "JVM: runtime (safepoints, locks, stubs)"
    if dso.startswith("/tmp/perf-"):
        m = re.search(r" (io\.netty|dev\.coffer\.[a-z0-9]+\.[a-z0-9]+|dev\.coffer\.[a-z0-9]+|software\.amazon\.awssdk|java\.[a-z]+|jdk\.[a-z]+|sun\.[a-z]+|org\.[a-z]+|com\.[a-z]+)[.$]", " " + sym.split("(")[0].split(" ")[-1] if "(" in sym else sym)
        return "Java (JIT): " + (m.group(1) if m else "other")
    if "libc" in dso:
        return "libc"
    if "libnetty" in dso:
        return "Netty native (epoll)"
    return "other: " + dso.rsplit("/", 1)[-1]


def main():
    server, client = sys.argv[1], sys.argv[2]
    per_process = collections.Counter()
    per_layer = {server: collections.Counter(), client: collections.Counter()}
    total = 0
    header = re.compile(r"^(.+?)\s+(\d+)/(\d+)\s*$")
    frame = re.compile(r"^\s+([0-9a-f]+)\s+(.*)\s+\((.*)\)\s*$")
    pid = None
    leaf_taken = True
    for line in sys.stdin:
        h = header.match(line)
        if h:
            pid = h.group(2)
            total += 1
            name = "Coffer server" if pid == server else "benchmark client (AWS SDK)" if pid == client else "other: " + h.group(1).strip()[:15]
            per_process[name] += 1
            leaf_taken = False
            continue
        if not leaf_taken:
            f = frame.match(line)
            if f:
                leaf_taken = True
                if pid in per_layer:
                    per_layer[pid][layer(f.group(2), f.group(3))] += 1
    print(f"all samples on the machine: {total}\n")
    print("| process | share of all CPU samples |\n|---|---:|")
    for name, n in per_process.most_common(12):
        print(f"| {name} | {100.0 * n / total:.1f}% |")
    for pid, title in ((server, "Coffer server"), (client, "benchmark client")):
        n_all = sum(per_layer[pid].values())
        print(f"\n{title} (pid {pid}), by leaf frame ({n_all} samples):\n\n| layer | share |\n|---|---:|")
        for name, n in per_layer[pid].most_common(16):
            print(f"| {name} | {100.0 * n / max(n_all, 1):.1f}% |")


if __name__ == "__main__":
    main()
