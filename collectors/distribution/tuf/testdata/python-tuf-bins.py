"""Writes a TUF repository with TAP 15 succinct hash-bin delegations using
python-tuf's Metadata API, and judges it with python-tuf's ngclient.

usage: make_bins.py OUT [--wrong-bin]
"""
import hashlib, json, os, shutil, sys
from datetime import datetime
from securesystemslib.keys import generate_ed25519_key
from securesystemslib.signer import SSlibKey, SSlibSigner
from tuf.api.metadata import (Delegations, Metadata, MetaFile, Root, Snapshot,
                              SuccinctRoles, TargetFile, Targets, Timestamp)
from tuf.api.serialization.json import JSONSerializer

out = sys.argv[1]
wrong = "--wrong-bin" in sys.argv
meta, tdir = os.path.join(out, "metadata"), os.path.join(out, "targets")
for d in (os.path.join(meta, "root_history"), tdir):
    os.makedirs(d, exist_ok=True)
EXP = datetime(2036, 1, 1)
PRETTY = JSONSerializer(compact=False)

def key():
    k = generate_ed25519_key()
    return SSlibKey.from_securesystemslib_key(k), SSlibSigner(k)

root_keys = [key() for _ in range(3)]
targets_keys = [key() for _ in range(2)]
online, bins = key(), key()

def new_root(version, rks):
    r = Metadata(Root(version=version, expires=EXP, consistent_snapshot=True))
    for k, _ in rks:
        r.signed.add_key(k, "root")
    for k, _ in targets_keys:
        r.signed.add_key(k, "targets")
    r.signed.add_key(online[0], "timestamp")
    r.signed.add_key(online[0], "snapshot")
    r.signed.roles["root"].threshold = 2
    r.signed.roles["targets"].threshold = 2
    return r

r1 = new_root(1, root_keys)
for _, s in root_keys:
    r1.sign(s, append=True)
rotated = root_keys[1:] + [key()]
r2 = new_root(2, rotated)
for _, s in root_keys[:2] + rotated[2:]:
    r2.sign(s, append=True)
for r in (r1, r2):
    v = r.signed.version
    r.to_file(os.path.join(meta, "root_history", f"{v}.root.json"), serializer=PRETTY)
    r.to_file(os.path.join(meta, f"{v}.root.json"), serializer=PRETTY)
r2.to_file(os.path.join(meta, "root.json"), serializer=PRETTY)

targets = Metadata(Targets(expires=EXP))
sr = SuccinctRoles(keyids=[bins[0].keyid], threshold=1, bit_length=4, name_prefix="bins")
targets.signed.delegations = Delegations({bins[0].keyid: bins[0]}, roles=None, succinct_roles=sr)
binmd = {name: Metadata(Targets(expires=EXP)) for name in sr.get_roles()}
names = [f"pkg/tool-{i}.tar.gz" for i in range(6)] + ["README.md"]
for i, name in enumerate(names):
    data = f"python-tuf hash-bin target {i}: {name}\n".encode()
    tf = TargetFile.from_data(name, data, ["sha256", "sha512"])
    b = sr.get_role_for_target(name)
    if wrong and i == 2:
        b = sorted(binmd)[(sorted(binmd).index(b) + 1) % len(binmd)]
    binmd[b].signed.targets[name] = tf
    d, base = os.path.split(os.path.join(tdir, name))
    os.makedirs(d, exist_ok=True)
    for h in tf.hashes.values():
        with open(os.path.join(d, f"{h}.{base}"), "wb") as f:
            f.write(data)
for _, s in targets_keys:
    targets.sign(s, append=True)
targets.to_file(os.path.join(meta, "1.targets.json"), serializer=PRETTY)
snap = Metadata(Snapshot(expires=EXP))
snap.signed.meta["targets.json"] = MetaFile(1)
for name, m in binmd.items():
    m.sign(bins[1])
    m.to_file(os.path.join(meta, f"1.{name}.json"), serializer=PRETTY)
    snap.signed.meta[f"{name}.json"] = MetaFile(1)
snap.sign(online[1])
snap.to_file(os.path.join(meta, "1.snapshot.json"), serializer=PRETTY)
ts = Metadata(Timestamp(expires=EXP))
ts.signed.snapshot_meta = MetaFile(1)
ts.sign(online[1])
ts.to_file(os.path.join(meta, "timestamp.json"), serializer=PRETTY)

# python-tuf's client over the files, offline: a fetcher that reads the
# tree instead of the network.
from tuf.ngclient import Updater
from tuf.ngclient.fetcher import FetcherInterface
from tuf.api.exceptions import DownloadHTTPError

class Files(FetcherInterface):
    def _fetch(self, url):
        p = url.replace("file://", "")
        if not os.path.exists(p):
            raise DownloadHTTPError(f"{p} not found", 404)
        with open(p, "rb") as f:
            return iter([f.read()])

cache = os.path.join(out, ".client")
shutil.rmtree(cache, ignore_errors=True)
os.makedirs(os.path.join(cache, "metadata"))
os.makedirs(os.path.join(cache, "targets"))
shutil.copy(os.path.join(meta, "root_history", "1.root.json"), os.path.join(cache, "metadata", "root.json"))
u = Updater(os.path.join(cache, "metadata"), "file://" + meta + "/", os.path.join(cache, "targets"), "file://" + tdir + "/", fetcher=Files())
u.refresh()
for name in names:
    try:
        info = u.get_targetinfo(name)
        if info is None:
            print(f"{name}: NOT FOUND (python-tuf ngclient)")
            continue
        u.download_target(info, os.path.join(cache, "targets", "t"))
        print(f"{name}: OK in {sr.get_role_for_target(name)}")
    except Exception as e:
        print(f"{name}: ERROR {type(e).__name__}: {e}")
shutil.rmtree(cache)
