#!/usr/bin/env python3
"""Known-answer vectors for Coffer's stored crypto formats, produced independently of the Java code.

This file implements each format again from its spec (docs/formats/*.md) with the `cryptography`
package (OpenSSL underneath), never calling Coffer's code, and writes JSON that the Java tests check
byte for byte. Inputs are fixed (no randomness), so rerunning it reproduces the checked-in files:

    python3 crypto/src/test/python/generate_vectors.py crypto/src/test/resources/vectors
"""
import json
import struct
import sys
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def det_bytes(label: str, n: int) -> bytes:
    """Deterministic filler: SHA-256 in counter mode over a label, so vectors need no randomness."""
    out = b""
    counter = 0
    while len(out) < n:
        h = hashes.Hash(hashes.SHA256())
        h.update(label.encode() + struct.pack(">I", counter))
        out += h.finalize()
        counter += 1
    return out[:n]


def hkdf(ikm: bytes, salt: bytes, info: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def fields(*values: str) -> bytes:
    """AssociatedData.ofFields: each field as u32 big-endian length then UTF-8 bytes."""
    return b"".join(struct.pack(">I", len(v.encode())) + v.encode() for v in values)


# ---- object stream v1 -------------------------------------------------------------------------

def object_stream(data_key, aad, segment_size, salt, prefix, plaintext):
    header = bytes([1]) + struct.pack(">I", segment_size) + salt + prefix
    info = b"coffer/object-stream/v1" + b"\x00" + header + aad
    content_key = hkdf(data_key, salt, info)
    gcm = AESGCM(content_key)
    n = 1 if len(plaintext) == 0 else -(-len(plaintext) // segment_size)
    out = header
    nonces = []
    for i in range(n):
        nonce = prefix + struct.pack(">I", i) + bytes([1 if i == n - 1 else 0])
        nonces.append(nonce.hex())
        out += gcm.encrypt(nonce, plaintext[i * segment_size:(i + 1) * segment_size], None)
    return header, content_key, nonces, out


def object_stream_vectors():
    cases = [
        ("empty object", 1024, b"", 0),
        ("one byte", 1024, fields("bucket", "key"), 1),
        ("exactly one segment", 1024, fields("bucket", "photos/cat.jpg"), 1024),
        ("one segment and one byte", 1024, fields("bucket", "photos/cat.jpg", "1"), 1025),
        ("three segments, last partial", 1024, fields("b", "k", "7"), 2500),
        ("exact multiple of segments", 2048, b"", 3 * 2048),
        ("default 64 KiB segments", 65536, fields("my-bucket", "a/b/c.bin"), 70000),
        ("unicode key in associated data", 4096, fields("bucket", "d\u00e9j\u00e0/\u732b.txt"), 5000),
    ]
    out = []
    for idx, (name, seg, aad, size) in enumerate(cases):
        data_key = det_bytes(f"stream data key {idx}", 32)
        salt = det_bytes(f"stream salt {idx}", 32)
        prefix = det_bytes(f"stream prefix {idx}", 7)
        plaintext = det_bytes(f"stream plaintext {idx}", size)
        header, content_key, nonces, ciphertext = object_stream(data_key, aad, seg, salt, prefix, plaintext)
        out.append({
            "name": name,
            "segmentSizeBytes": seg,
            "dataKey": data_key.hex(),
            "associatedData": aad.hex(),
            "salt": salt.hex(),
            "noncePrefix": prefix.hex(),
            "plaintext": plaintext.hex(),
            "header": header.hex(),
            "contentKey": content_key.hex(),
            "nonces": nonces,
            "ciphertext": ciphertext.hex(),
        })
    return out


# ---- block seal v1 ----------------------------------------------------------------------------

def block_seal(data_key, salt, nonce, volume_id, block_size, index, plaintext):
    session_key = hkdf(data_key, salt, b"coffer/block-seal/v1")
    aad = bytes([1]) + struct.pack(">IQ", block_size, index) + volume_id.encode()
    sealed = bytes([1]) + salt + nonce + AESGCM(session_key).encrypt(nonce, plaintext, aad)
    return session_key, aad, sealed


def block_seal_vectors():
    cases = [
        ("first block, 4 KiB", 4096, "vol-0123456789abcdef0", 0, 0),
        ("large index, 4 KiB", 4096, "vol-0123456789abcdef0", 2**40 + 5, 7),
        ("512-byte blocks", 512, "vol-aaaaaaaaaaaaaaaaa", 3, 1),
        ("64 KiB blocks", 65536, "vol-fffffffffffffffff", 12, 2**32 + 1),
        ("all-zero plaintext", 4096, "lineage/vol-1", 1, 42),
    ]
    out = []
    for idx, (name, block_size, volume_id, index, counter) in enumerate(cases):
        data_key = det_bytes(f"block data key {idx}", 32)
        salt = det_bytes(f"block salt {idx}", 16)
        nonce = struct.pack(">IQ", 0, counter)
        plaintext = bytes(block_size) if "zero" in name else det_bytes(f"block plaintext {idx}", block_size)
        session_key, aad, sealed = block_seal(data_key, salt, nonce, volume_id, block_size, index, plaintext)
        out.append({
            "name": name,
            "blockSizeBytes": block_size,
            "volumeBindingId": volume_id,
            "blockIndex": index,
            "dataKey": data_key.hex(),
            "keySalt": salt.hex(),
            "nonce": nonce.hex(),
            "plaintext": plaintext.hex(),
            "sessionKey": session_key.hex(),
            "associatedData": aad.hex(),
            "sealed": sealed.hex(),
        })
    return out


# ---- raw AES keyring v1 -----------------------------------------------------------------------

def canonical_context(pairs: dict) -> bytes:
    if not pairs:
        return b""
    items = sorted((k.encode(), v.encode()) for k, v in pairs.items())
    out = struct.pack(">H", len(items))
    for k, v in items:
        out += struct.pack(">H", len(k)) + k + struct.pack(">H", len(v)) + v
    return out


def raw_aes_keyring_vectors():
    cases = [
        ("empty context", {}),
        ("s3 object context", {"aws:s3:arn": "arn:aws:s3:::bucket/key", "department": "finance", "Zeta": "\u00e9"}),
    ]
    out = []
    for idx, (name, context) in enumerate(cases):
        wrapping_key = det_bytes(f"keyring wrapping key {idx}", 32)
        data_key = det_bytes(f"keyring data key {idx}", 32)
        nonce = det_bytes(f"keyring nonce {idx}", 12)
        aad = canonical_context(context)
        wrapped = bytes([1]) + nonce + AESGCM(wrapping_key).encrypt(nonce, data_key, aad)
        out.append({
            "name": name,
            "namespace": "coffer-test",
            "keyName": f"wrapping-key-{idx}",
            "wrappingKey": wrapping_key.hex(),
            "encryptionContext": context,
            "canonicalEncryptionContext": aad.hex(),
            "dataKey": data_key.hex(),
            "wrappedDataKey": wrapped.hex(),
        })
    return out


def main():
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    target.mkdir(parents=True, exist_ok=True)
    for filename, vectors, spec in [
        ("object-stream-v1.json", object_stream_vectors(), "docs/formats/object-stream-v1.md"),
        ("block-seal-v1.json", block_seal_vectors(), "docs/formats/block-seal-v1.md"),
        ("raw-aes-keyring-v1.json", raw_aes_keyring_vectors(), "docs/formats/raw-aes-keyring-v1.md"),
    ]:
        doc = {
            "spec": spec,
            "generator": "crypto/src/test/python/generate_vectors.py (python cryptography/OpenSSL, independent of the Java code)",
            "vectors": vectors,
        }
        (target / filename).write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {target / filename}: {len(vectors)} vectors")


if __name__ == "__main__":
    main()
