# Seed a Xandikos address book (its git-backed collection) with many cards in one commit, through
# Xandikos's own store code: what `TreeGitStore.import_one` does for a PUT (validate the card, write
# the file, add its blob, set its index entry), once per card, then one commit of the index instead
# of one per card. The ETag a client sees is the blob's id and the CTag/sync token the index's tree,
# exactly as after PUTs. Run with Debian's python3 (Xandikos and dulwich live there):
#   /usr/bin/python3 xandikos-seed.py COLLECTION_DIR < cards.json     ([{file, vcard}])
import json
import os
import sys

from dulwich.index import IndexEntry, index_entry_from_stat
from dulwich.objects import Blob
from xandikos.store import open_by_extension
from xandikos.store.git import TreeGitStore, locked_index
from xandikos.vcard import VCardFile

path = sys.argv[1]
cards = json.load(sys.stdin)
store = TreeGitStore.open_from_path(path)
store.load_extra_file_handler(VCardFile)
with locked_index(store.repo.index_path()) as index:
    blobs = []
    for card in cards:
        name = card["file"]
        data = [card["vcard"].encode("utf-8")]
        fi = open_by_extension(data, name, store.extra_file_handlers)
        fi.validate()
        encoded = name.encode("utf-8")
        if encoded in index:
            raise SystemExit("%s is already in %s" % (name, path))
        body = b"".join(fi.normalized())
        p = os.path.join(store.repo.path, name)
        with open(p, "wb") as f:
            f.write(body)
        blob = Blob.from_string(body)
        blobs.append((blob, None))
        index[encoded] = IndexEntry(*index_entry_from_stat(os.lstat(p), blob.id, 0))
    # One pack for every blob instead of a loose object each.
    store.repo.object_store.add_objects(blobs)
    store._commit_tree(index, ("Seed %d cards" % len(cards)).encode("utf-8"))
