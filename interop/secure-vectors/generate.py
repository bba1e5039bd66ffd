#!/usr/bin/env python3
"""Independent generator of kcpj secure-session test vectors.

Written from docs/secure-sessions.md alone (not from the Java code), on pyca/cryptography's
X25519, AES-GCM, ChaCha20-Poly1305, SHA-256 and HMAC. It prints the vector files that
kcp-core's tests read:

    python3 interop/secure-vectors/generate.py records   > kcp-core/src/test/resources/secure/record-vectors.txt
    python3 interop/secure-vectors/generate.py tokens    > kcp-core/src/test/resources/secure/token-vectors.txt
    python3 interop/secure-vectors/generate.py handshake > kcp-core/src/test/resources/secure/handshake-vectors.txt

`generate.py selfcheck` first checks this file's Noise code against the Cacophony vectors.

Output format: '#' comments, blank lines between vectors, 'key = hex-or-decimal' lines.
"""
import hashlib
import hmac
import struct
import sys

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives import serialization

# ---------------------------------------------------------------- Noise (spec rev 34), SHA-256

def nonce(cipher, n):
    if cipher == "AESGCM":
        return b"\0\0\0\0" + struct.pack(">Q", n)
    return b"\0\0\0\0" + struct.pack("<Q", n)

def encrypt(cipher, k, n, ad, pt):
    c = AESGCM(k) if cipher == "AESGCM" else ChaCha20Poly1305(k)
    return c.encrypt(nonce(cipher, n), pt, ad)

def decrypt(cipher, k, n, ad, ct):
    c = AESGCM(k) if cipher == "AESGCM" else ChaCha20Poly1305(k)
    return c.decrypt(nonce(cipher, n), ct, ad)

def rekey(cipher, k):
    return encrypt(cipher, k, 2**64 - 1, b"", bytes(32))[:32]

def hmac256(k, d):
    return hmac.new(k, d, hashlib.sha256).digest()

def hkdf(ck, ikm, n):
    t = hmac256(ck, ikm)
    o1 = hmac256(t, b"\x01")
    o2 = hmac256(t, o1 + b"\x02")
    if n == 2:
        return o1, o2
    return o1, o2, hmac256(t, o2 + b"\x03")

def pub(priv):
    return X25519PrivateKey.from_private_bytes(priv).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)

def dh(priv, pubkey):
    return X25519PrivateKey.from_private_bytes(priv).exchange(X25519PublicKey.from_public_bytes(pubkey))

class Sym:
    def __init__(self, name, cipher):
        self.cipher = cipher
        n = name.encode()
        self.h = n + bytes(32 - len(n)) if len(n) <= 32 else hashlib.sha256(n).digest()
        self.ck = self.h
        self.k = None
        self.n = 0
    def mix_hash(self, d):
        self.h = hashlib.sha256(self.h + d).digest()
    def mix_key(self, ikm):
        self.ck, self.k = hkdf(self.ck, ikm, 2)
        self.n = 0
    def mix_key_and_hash(self, ikm):
        self.ck, th, self.k = hkdf(self.ck, ikm, 3)
        self.mix_hash(th)
        self.n = 0
    def encrypt_and_hash(self, pt):
        ct = encrypt(self.cipher, self.k, self.n, self.h, pt) if self.k else pt
        self.n += 1
        self.mix_hash(ct)
        return ct
    def decrypt_and_hash(self, ct):
        pt = decrypt(self.cipher, self.k, self.n, self.h, ct) if self.k else ct
        self.n += 1
        self.mix_hash(ct)
        return pt
    def split(self):
        return hkdf(self.ck, b"", 2)

# Patterns kcpj uses (docs section 3.1).
PATTERNS = {
    "NNpsk0": (False, [["psk", "e"], ["e", "ee"]]),
    "NK": (True, [["e", "es"], ["e", "ee"]]),
    "NKpsk0": (True, [["psk", "e", "es"], ["e", "ee"]]),
}

def handshake(pattern, cipher, prologue, psk, ie, re_, rs_priv, p1, p2):
    """Runs both sides; returns (message1, message2, c1 key, c2 key, h)."""
    pre_s, msgs = PATTERNS[pattern]
    name = "Noise_%s_25519_%s_SHA256" % (pattern, cipher)
    is_psk = "psk" in pattern
    i = Sym(name, cipher); r = Sym(name, cipher)
    for s in (i, r):
        s.mix_hash(prologue)
        if pre_s:
            s.mix_hash(pub(rs_priv))
    # message 1, initiator writes, responder reads
    out = b""
    for t in msgs[0]:
        if t == "psk":
            i.mix_key_and_hash(psk); r.mix_key_and_hash(psk)
        elif t == "e":
            e = pub(ie); out += e
            for s in (i, r):
                s.mix_hash(e)
                if is_psk:
                    s.mix_key(e)
        elif t == "es":
            i.mix_key(dh(ie, pub(rs_priv))); r.mix_key(dh(rs_priv, pub(ie)))
    ct = i.encrypt_and_hash(p1); assert r.decrypt_and_hash(ct) == p1
    m1 = out + ct
    out = b""
    for t in msgs[1]:
        if t == "e":
            e = pub(re_); out += e
            for s in (i, r):
                s.mix_hash(e)
                if is_psk:
                    s.mix_key(e)
        elif t == "ee":
            i.mix_key(dh(ie, pub(re_))); r.mix_key(dh(re_, pub(ie)))
    ct = r.encrypt_and_hash(p2); assert i.decrypt_and_hash(ct) == p2
    m2 = out + ct
    assert i.h == r.h and i.split() == r.split()
    c1, c2 = i.split()
    return m1, m2, c1, c2, i.h

# ---------------------------------------------------------------- kcpj wire (docs sections 4-8)

EPOCH_SHIFT = 20

def epoch_key(cipher, k0, pn):
    k = k0
    for _ in range(pn >> EPOCH_SHIFT):
        k = rekey(cipher, k)
    return k

def record(cipher, k0, receiver_id, pn, frames):
    header = bytes([0x04]) + struct.pack("<I", receiver_id) + struct.pack("<I", pn & 0xFFFFFFFF)
    return header + encrypt(cipher, epoch_key(cipher, k0, pn), pn, header, frames)

def address_bytes(ip, port):
    import ipaddress
    raw = ipaddress.ip_address(ip).packed
    return bytes([len(raw)]) + raw + struct.pack("<H", port)

def token(secret, generation, issued_ms, client_id, ip, port):
    head = bytes([0x01, generation & 0xFF]) + struct.pack("<q", issued_ms)
    mac = hmac256(secret, b"kcpj-token/1" + head + struct.pack("<I", client_id) + address_bytes(ip, port))
    return head + mac[:16]

def reset_token(reset_key, server_id):
    return hmac256(reset_key, b"kcpj-reset/1" + struct.pack("<I", server_id))[:16]

def h(b):
    return b.hex()

def seq(start, n):
    return bytes((start + i) & 0xFF for i in range(n))

def records():
    print("# kcpj record-layer vectors (docs/secure-sessions.md, sections 3.4, 4.4, 5, 6),")
    print("# generated by interop/secure-vectors/generate.py (pyca/cryptography), independent of the Java code.")
    print("# key = epoch-0 key; frames = plaintext; record = the TRANSPORT datagram.")
    payload100 = bytes([0x02]) + seq(0, 99)
    cases = [
        (0, bytes([0x01])),                       # PING, first record
        (1, payload100),                          # PAYLOAD of 99 bytes
        (2, bytes([0x06]) + seq(0xA0, 8)),        # PATH_CHALLENGE
        (3, bytes([0x05, 0x34, 0x12])),           # ABORT 0x1234
        (0xFFFFFFFF, bytes([0x03])),              # CLOSE at the 32-bit wrap
        (0x100000000, bytes([0x04])),             # CLOSE_ACK after the wrap
        ((1 << 20) - 1, bytes([0x01])),           # last packet of epoch 0
        (1 << 20, bytes([0x01])),                 # first packet of epoch 1 (REKEY once)
        ((3 << 20) + 7, bytes([0x00, 0x00, 0x01])),  # epoch 3 (REKEY three times)
    ]
    for cipher in ("ChaChaPoly", "AESGCM"):
        k0 = seq(0x40, 32)
        for pn, frames in cases:
            print()
            print("cipher = %s" % cipher)
            print("key = %s" % h(k0))
            print("receiver = %d" % 0x0A0B0C0D)
            print("pn = %d" % pn)
            print("epochKey = %s" % h(epoch_key(cipher, k0, pn)))
            print("frames = %s" % h(frames))
            print("record = %s" % h(record(cipher, k0, 0x0A0B0C0D, pn, frames)))

def tokens():
    print("# kcpj address-validation and stateless-reset token vectors (docs sections 7, 8),")
    print("# generated by interop/secure-vectors/generate.py, independent of the Java code.")
    secret = seq(0x10, 32)
    for gen, issued, cid, ip, port in [
        (0, 1000, 0x11223344, "192.0.2.7", 40000),
        (1, 123456789, 0x7FFFFFFF, "2001:db8::1", 443),
        (255, 0, 1, "127.0.0.1", 1),
    ]:
        print()
        print("kind = address")
        print("secret = %s" % h(secret))
        print("generation = %d" % gen)
        print("issued = %d" % issued)
        print("client = %d" % cid)
        print("ip = %s" % ip)
        print("port = %d" % port)
        print("token = %s" % h(token(secret, gen, issued, cid, ip, port)))
    rk = seq(0x80, 32)
    for sid in (1, 0x01020304, 0xFFFFFFFF):
        print()
        print("kind = reset")
        print("resetKey = %s" % h(rk))
        print("server = %d" % sid)
        print("token = %s" % h(reset_token(rk, sid)))

def handshake_vectors():
    print("# kcpj handshake vectors (docs sections 3 and 4): INITIATION, RESPONSE and the first")
    print("# record each way, generated by interop/secure-vectors/generate.py, independent of the Java code.")
    psk = seq(0x20, 32)
    ie = seq(0x01, 32)      # client ephemeral private key
    re_ = seq(0x61, 32)     # server ephemeral private key
    rs = seq(0xC1, 32)      # server static private key
    reset_key = seq(0x80, 32)
    client_id, server_id, conv = 0x51525354, 0x61626364, 0x11223344
    client_idle, server_idle = 30000, 20000
    suites = [("NNpsk0", 0x1), ("NK", 0x2), ("NKpsk0", 0x3)]
    for pattern, pid in suites:
        for cipher, cid in (("ChaChaPoly", 0x1), ("AESGCM", 0x2)):
            suite = (pid << 4) | cid
            header = bytes([0x01, 0x01, suite, 0x00]) + struct.pack("<I", client_id)
            prologue = b"kcpj-secure/1" + header
            p1 = struct.pack("<I", conv) + struct.pack("<I", client_idle)
            rtok = reset_token(reset_key, server_id)
            p2 = struct.pack("<I", server_id) + rtok + struct.pack("<I", server_idle)
            m1, m2, c1, c2, hh = handshake(pattern, cipher, prologue, psk, ie, re_, rs, p1, p2)
            initiation = header + struct.pack("<H", 0) + m1
            response = bytes([0x02, 0, 0, 0]) + struct.pack("<I", client_id) + m2
            print()
            print("suite = %d" % suite)
            print("protocol = Noise_%s_25519_%s_SHA256" % (pattern, cipher))
            print("psk = %s" % (h(psk) if "psk" in pattern else "-"))
            print("clientEphemeral = %s" % h(ie))
            print("serverEphemeral = %s" % h(re_))
            print("serverStatic = %s" % h(rs))
            print("resetKey = %s" % h(reset_key))
            print("clientId = %d" % client_id)
            print("serverId = %d" % server_id)
            print("conv = %d" % conv)
            print("clientIdle = %d" % client_idle)
            print("serverIdle = %d" % server_idle)
            print("initiation = %s" % h(initiation))
            print("response = %s" % h(response))
            print("handshakeHash = %s" % h(hh))
            # The client's first record: a PING (pn 0) to the server id; the server's first: PAYLOAD.
            print("clientPing = %s" % h(record(cipher, c1, server_id, 0, bytes([0x01]))))
            print("serverPayload = %s" % h(record(cipher, c2, client_id, 0, bytes([0x02]) + b"hello")))

def selfcheck():
    """Checks this file's Noise code against the Cacophony vectors kcp-core's tests use."""
    import json, os
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "kcp-core", "src", "test", "resources", "secure", "noise-vectors.json")
    for v in json.load(open(path))["vectors"]:
        pattern, cipher = v["protocol_name"].split("_")[1], v["protocol_name"].split("_")[3]
        if pattern not in PATTERNS:
            continue
        b = bytes.fromhex
        m1, m2, _, _, hh = handshake(
            pattern, cipher, b(v["init_prologue"]),
            b(v["init_psks"][0]) if "psk" in pattern else None,
            b(v["init_ephemeral"]), b(v["resp_ephemeral"]),
            b(v["resp_static"]) if "resp_static" in v else None,
            b(v["messages"][0]["payload"]), b(v["messages"][1]["payload"]))
        ok = (m1.hex() == v["messages"][0]["ciphertext"] and m2.hex() == v["messages"][1]["ciphertext"]
              and hh.hex() == v["handshake_hash"])
        print("%-40s %s" % (v["protocol_name"], "ok" if ok else "MISMATCH"))
        if not ok:
            sys.exit(1)

if __name__ == "__main__":
    {"records": records, "tokens": tokens, "handshake": handshake_vectors, "selfcheck": selfcheck}[sys.argv[1]]()
