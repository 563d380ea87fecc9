"""ingest: files, directories, stdin, URLs → one `Article` per input article (rejected ones included).

`read_inputs` is the entry point; everything it cannot read comes back as an Article with `rejected` set
(codes ``ingest.<reason>``), so callers never need a try/except around a batch.
"""

from storyline.ingest.decode import Decoded, decode_bytes
from storyline.ingest.readers import read_inputs, walk_files

__all__ = ["Decoded", "decode_bytes", "read_inputs", "walk_files"]
