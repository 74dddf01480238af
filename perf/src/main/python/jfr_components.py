#!/usr/bin/env python3
"""Splits a Coffer JFR recording's CPU samples by component (edge/Netty, SigV4, checksums, engine
fsync, RocksDB, copies, ...) and sums the file forces, so a profile of an S3 benchmark row reads as
"where the server's CPU and waiting go" rather than as a list of JDK methods.

Usage: jfr_components.py <recording.jfr> [...]   (needs `jfr` from a JDK 25 on PATH or in JAVA_HOME)

Each execution sample (a thread on CPU in Java code) goes to the component of the first frame, from
the leaf down, that a rule below recognises; JDK utility frames (collections, strings, locks) are
skipped so their cost lands on the Coffer or Netty code that called them. JDK 25's CPU-time samples
(jdk.CPUTimeSample, when recorded) are split the same way and include time in native code (RocksDB,
syscalls). Native-method samples
(threads inside a native call: epoll_wait, fsync, RocksDB) are reported apart, by their top frame,
because JFR takes them whether or not the thread is using CPU.
"""
import collections
import os
import re
import subprocess
import sys

# (component, test on one frame "pkg.Class.method", test on the whole stack or None), first match wins.
DIGEST = re.compile(r"^(java\.security\.MessageDigest|sun\.security\.provider\.(MD5|SHA|SHA2|SHA5|DigestBase|ByteArrayAccess))")
RULES = [
    ("checksums: CRC (x-amz-checksum)", re.compile(r"^(java\.util\.zip\.CRC32|java\.util\.zip\.CRC32C|dev\.coffer\.s3\.checksum\.)")),
    ("SigV4: HMAC / SHA-256", re.compile(r"^(javax\.crypto\.Mac|com\.sun\.crypto\.provider\.(Hmac|HmacCore))")),
    ("aws-chunked decoding", re.compile(r"^dev\.coffer\.auth\.sigv4\.AwsChunked")),
    ("engine: fsync (data file, directory)", re.compile(r"^(sun\.nio\.ch\.FileChannelImpl\.force|sun\.nio\.ch\.UnixFileDispatcherImpl\.force0|dev\.coffer\.s3\.engine\.DirectorySync)")),
    ("engine: file write (incl. heap->direct copy)", re.compile(r"^(sun\.nio\.ch\.FileChannelImpl\.write|sun\.nio\.ch\.UnixFileDispatcherImpl\.(write0|pwrite0)|sun\.nio\.ch\.IOUtil\.write|sun\.nio\.ch\.Util\.getTemporaryDirectBuffer)")),
    ("engine: file read / sendfile", re.compile(r"^(sun\.nio\.ch\.FileChannelImpl\.(read|transferTo)|sun\.nio\.ch\.UnixFileDispatcherImpl\.(read0|pread0)|io\.netty\.channel\.DefaultFileRegion)")),
    ("RocksDB (JNI)", re.compile(r"^org\.rocksdb\.")),
    ("copies: edge body -> byte[]", re.compile(r"^(io\.netty\.buffer\.\w+\.(getBytes|readBytes))")),
    ("copies: other (arraycopy, copyOf)", re.compile(r"^(java\.lang\.System\.arraycopy|java\.util\.Arrays\.copyOf|java\.io\.ByteArrayOutputStream)")),
    ("random ids (SecureRandom)", re.compile(r"^(java\.security\.SecureRandom|sun\.security\.provider\.(NativePRNG|SecureRandom|DRBG))")),
    ("edge: Netty (HTTP codec, pipeline, epoll, buffers)", re.compile(r"^io\.netty\.")),
    ("edge: Coffer (handler, exchange, body hand-off, response writer)", re.compile(r"^dev\.coffer\.gateway\.")),
    ("engine: store, records, codecs", re.compile(r"^dev\.coffer\.s3\.engine\.")),
    ("authorization: IAM and bucket policies", re.compile(r"^(dev\.coffer\.auth\.(policy|iam|identity|store|service)\.|dev\.coffer\.s3\.auth\.S3Authorizer)")),
    ("SigV4: canonical request, header parsing", re.compile(r"^dev\.coffer\.(auth\.sigv4|s3\.auth)\.")),
    ("S3 front end (addressing, routing, headers, XML)", re.compile(r"^dev\.coffer\.s3\.")),
    ("logging", re.compile(r"^(ch\.qos\.logback|org\.slf4j)")),
    ("JFR itself", re.compile(r"^jdk\.jfr\.")),
]
# Scheduling is named only when nothing more specific is on the stack above it.
SCHEDULING = re.compile(r"^(java\.lang\.VirtualThread|jdk\.internal\.vm\.Continuation|java\.util\.concurrent\.(ForkJoinPool|locks\.|LinkedTransferQueue|SynchronousQueue)|java\.lang\.Object\.(wait|notify))")


def frame_name(line):
    # "    pkg.Class.method(Args) line: 12" -> "pkg.Class.method"
    return line.strip().split("(", 1)[0]


def classify(frames):
    for i, f in enumerate(frames):
        if DIGEST.match(f):
            below = " ".join(frames[i:i + 6])
            if "Sha256VerifyingInputStream" in below:
                return "checksums: SHA-256 of the payload (x-amz-content-sha256)"
            if "dev.coffer.auth.sigv4" in below or "javax.crypto.Mac" in below:
                return "SigV4: HMAC / SHA-256"
            if "DigestS3Checksum" in below:
                return "checksums: SHA (x-amz-checksum)"
            if "BodyIngest" in below or "Copies" in below or "Multipart" in below:
                return "checksums: MD5 (ETag)"
            return "checksums: other digest"
        for name, rule in RULES:
            if rule.match(f):
                return name
        if SCHEDULING.match(f) and i == 0:
            # Scheduling at the leaf: look for who asked for it further down.
            for g in frames[1:8]:
                if g.startswith("dev.coffer.gateway") or g.startswith("io.netty"):
                    return "scheduling: virtual threads, locks, hand-offs"
            return "scheduling: virtual threads, locks, hand-offs"
    return "other: " + (".".join(frames[0].split(".")[:3]) if frames else "?")


def events(jfr_file, event, depth=64):
    jfr = os.path.join(os.environ["JAVA_HOME"], "bin", "jfr") if "JAVA_HOME" in os.environ else "jfr"
    out = subprocess.run([jfr, "print", "--events", event, "--stack-depth", str(depth), jfr_file],
                         check=True, capture_output=True, text=True).stdout
    current = None
    in_stack = False
    for line in out.splitlines():
        if line.startswith(event + " {") or line.startswith("jdk.") and line.endswith("{"):
            current = {"frames": [], "fields": {}}
            in_stack = False
        elif current is None:
            continue
        elif line.strip() == "stackTrace = [":
            in_stack = True
        elif in_stack and line.strip() == "]":
            in_stack = False
        elif in_stack:
            if line.strip() != "...":
                current["frames"].append(frame_name(line))
        elif line == "}":
            yield current
            current = None
        else:
            m = re.match(r"\s+(\w+) = (.*)", line)
            if m:
                current["fields"][m.group(1)] = m.group(2)


def millis(value):
    m = re.match(r"([0-9.]+) (ms|s|us|ns)", value)
    if not m:
        return 0.0
    v = float(m.group(1))
    return v * {"ms": 1, "s": 1000, "us": 1e-3, "ns": 1e-6}[m.group(2)]


def report(jfr_file):
    print(f"## {os.path.basename(jfr_file)}\n")
    # JDK 25's CPU-time samples (JEP 509) cover time in native code too; execution samples only Java.
    for event, what in (("jdk.CPUTimeSample", "CPU-time samples (Java and native code)"),
                        ("jdk.ExecutionSample", "execution samples (threads running Java code)")):
        samples = collections.Counter()
        threads = collections.Counter()
        total = 0
        for e in events(jfr_file, event):
            if e["fields"].get("failed") == "true":
                continue
            total += 1
            samples[classify(e["frames"])] += 1
            t = e["fields"].get("sampledThread", e["fields"].get("eventThread", ""))
            threads["virtual (request handlers)" if "virtual" in t else re.sub(r"[-0-9]+\"?.*$", "", t.strip('"'))] += 1
        if total == 0:
            continue
        print(f"{what}: {total}\n")
        print("| component | share |\n|---|---:|")
        for name, n in samples.most_common():
            if 100.0 * n / total >= 0.5:
                print(f"| {name} | {100.0 * n / total:.1f}% |")
        print("\nby thread: " + ", ".join(f"{k or '?'} {100.0 * v / total:.0f}%" for k, v in threads.most_common(4)) + "\n")

    native = collections.Counter()
    native_total = 0
    for e in events(jfr_file, "jdk.NativeMethodSample", 8):
        native_total += 1
        top = e["frames"][0] if e["frames"] else "?"
        native[top] += 1
    print(f"threads inside native methods (waiting or working; {native_total} samples), top frames:")
    for name, n in native.most_common(8):
        print(f"- {name}: {100.0 * n / max(native_total, 1):.1f}%")

    forces = collections.defaultdict(lambda: [0, 0.0])
    for e in events(jfr_file, "jdk.FileForce", 4):
        path = e["fields"].get("path", "")
        kind = "data file" if path.endswith('.data"') else "directory" if "/data\"" in path or path.endswith('s3"') else path
        forces[kind][0] += 1
        forces[kind][1] += millis(e["fields"].get("duration", "0 ms"))
    if forces:
        print("\nfile forces (fsync from Java; RocksDB's WAL syncs happen in native code and are not here):")
        for kind, (n, ms) in forces.items():
            print(f"- {kind}: {n} forces, {ms:,.0f} ms in all, {ms / n:.2f} ms each")
    print()


if __name__ == "__main__":
    for f in sys.argv[1:]:
        report(f)
