#!/usr/bin/env bash
# EBS's worked example on Coffer, with the real `aws` CLI and a real ext4 mount: an unencrypted volume
# cannot be switched to encrypted, so: create an unencrypted volume, attach it, make an ext4 file
# system on it (nbdfuse -> losetup -> mkfs.ext4 -> mount), write files, unmount, detach, snapshot it,
# copy the snapshot with encryption under a customer KMS key, create a volume from the copy, attach
# it, mount it, and check the files are identical. Prints `key=<arn>`, `old=<vol>`, `new=<vol>`,
# `snapshot=<id>`, `copy=<id>` and the files' digests, for the caller to check further (stored blocks,
# the audit trail).
#
# Needs root (losetup, mount), /dev/fuse, and the packages scripts/install-prerequisites.sh installs.
# Environment: COFFER_EDGE (e.g. http://127.0.0.1:9000), COFFER_NBD (e.g. 127.0.0.1:10809),
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, optional WORK (a scratch directory).
set -euo pipefail
: "${COFFER_EDGE:?}" "${COFFER_NBD:?}" "${AWS_ACCESS_KEY_ID:?}" "${AWS_SECRET_ACCESS_KEY:?}"
work="${WORK:-$(mktemp -d)}"
mkdir -p "$work/fuse" "$work/fs"
export AWS_MAX_ATTEMPTS=1 AWS_CONFIG_FILE="$work/no-aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/no-aws-credentials"
ec2() { aws --endpoint-url "$COFFER_EDGE" --region us-east-1 --output text ec2 "$@"; }
kms() { aws --endpoint-url "$COFFER_EDGE" --region us-east-1 --output text kms "$@"; }
say() { echo "worked-example: $*" >&2; }

wait_for() { # $1 describe command (volume|snapshot), $2 id, $3 wanted state
  local state=''
  for _ in $(seq 1 600); do
    if [ "$1" = volume ]; then
      state=$(ec2 describe-volumes --volume-ids "$2" --query 'Volumes[0].State')
    else
      state=$(ec2 describe-snapshots --snapshot-ids "$2" --query 'Snapshots[0].State')
    fi
    [ "$state" = "$3" ] && return 0
    [ "$state" = error ] && { say "$1 $2 is in state error"; return 1; }
    sleep 0.2
  done
  say "$1 $2 stayed $state, wanted $3"
  return 1
}

loop=''
mount_volume() { # $1 volume id: nbdfuse -> loop device -> ext4 mounted on $work/fs
  setsid -f nbdfuse -P "$work/nbdfuse.pid" "$work/fuse/disk" "nbd://$COFFER_NBD/$1" </dev/null >"$work/nbdfuse.log" 2>&1
  for _ in $(seq 1 100); do [ -e "$work/fuse/disk" ] && break; sleep 0.1; done
  [ -e "$work/fuse/disk" ] || { cat "$work/nbdfuse.log" >&2; return 1; }
  loop=$(losetup -f --show "$work/fuse/disk")
}
unmount_volume() {
  umount "$work/fs" 2>/dev/null || true
  [ -n "$loop" ] && losetup -d "$loop" 2>/dev/null || true
  loop=''
  fusermount3 -u "$work/fuse" 2>/dev/null || umount "$work/fuse" 2>/dev/null || true
  for _ in $(seq 1 50); do [ -f "$work/nbdfuse.pid" ] && kill -0 "$(cat "$work/nbdfuse.pid")" 2>/dev/null || break; sleep 0.1; done
  rm -f "$work/nbdfuse.pid"
}
trap unmount_volume EXIT

say "create a customer KMS key"
key=$(kms create-key --description "worked example" --query KeyMetadata.Arn)

say "create an unencrypted 1 GiB volume and attach it"
old=$(ec2 create-volume --availability-zone us-east-1a --size 1 --volume-type gp3 --query VolumeId)
wait_for volume "$old" available
[ "$(ec2 describe-volumes --volume-ids "$old" --query 'Volumes[0].Encrypted')" = False ]
ec2 attach-volume --volume-id "$old" --instance-id i-0a1b2c3d4e5f60718 --device /dev/sdf >/dev/null
wait_for volume "$old" in-use

say "mkfs.ext4, mount, write files"
mount_volume "$old"
mkfs.ext4 -q -F "$loop"
mount "$loop" "$work/fs"
mkdir -p "$work/fs/docs"
head -c 20M /dev/urandom > "$work/fs/random.bin"
for i in $(seq 1 50); do echo "file $i of the worked example, written before encryption" > "$work/fs/docs/note-$i.txt"; done
(cd "$work/fs" && find . -type f ! -path './lost+found/*' -print0 | sort -z | xargs -0 sha256sum) > "$work/before.sha"
sync -f "$work/fs/random.bin"
unmount_volume

say "detach, snapshot, copy the snapshot with encryption under the customer key"
ec2 detach-volume --volume-id "$old" >/dev/null
wait_for volume "$old" available
snapshot=$(ec2 create-snapshot --volume-id "$old" --description "before encryption" --query SnapshotId)
wait_for snapshot "$snapshot" completed
copy=$(ec2 copy-snapshot --source-region us-east-1 --source-snapshot-id "$snapshot" --encrypted --kms-key-id "$key" \
  --description "encrypted copy" --query SnapshotId)
wait_for snapshot "$copy" completed
[ "$(ec2 describe-snapshots --snapshot-ids "$copy" --query 'Snapshots[0].Encrypted')" = True ]
[ "$(ec2 describe-snapshots --snapshot-ids "$copy" --query 'Snapshots[0].KmsKeyId')" = "$key" ]

say "create a volume from the encrypted copy, attach it, mount it, compare"
new=$(ec2 create-volume --availability-zone us-east-1a --snapshot-id "$copy" --query VolumeId)
wait_for volume "$new" available
[ "$(ec2 describe-volumes --volume-ids "$new" --query 'Volumes[0].Encrypted')" = True ]
[ "$(ec2 describe-volumes --volume-ids "$new" --query 'Volumes[0].KmsKeyId')" = "$key" ]
ec2 attach-volume --volume-id "$new" --instance-id i-0a1b2c3d4e5f60718 --device /dev/sdg >/dev/null
wait_for volume "$new" in-use
mount_volume "$new"
e2fsck -fn "$loop" >&2
mount "$loop" "$work/fs"
(cd "$work/fs" && sha256sum -c --quiet "$work/before.sha")
(cd "$work/fs" && find . -type f ! -path './lost+found/*' -print0 | sort -z | xargs -0 sha256sum) > "$work/after.sha"
cmp "$work/before.sha" "$work/after.sha"
unmount_volume

say "swap: delete the unencrypted volume and its snapshot"
ec2 detach-volume --volume-id "$new" >/dev/null
wait_for volume "$new" available
ec2 delete-volume --volume-id "$old"
ec2 delete-snapshot --snapshot-id "$snapshot"
echo "key=$key"
echo "old=$old"
echo "new=$new"
echo "snapshot=$snapshot"
echo "copy=$copy"
echo "files=$(wc -l < "$work/after.sha")"
say "done: the files on the encrypted volume are identical"
