"""Set up the fork server of the reading children before it imports pyarrow (issue 14).

`data.uploads.isolated` preloads this module first. pyarrow's default allocator, mimalloc,
reserves a gigabyte of address space at its first use, and the children's memory limit
(``RLIMIT_AS``) counts address space: a 500 000-row CSV then ran out of its 1536 MB while it
held 400 MB. The system allocator reserves what it uses. Only the fork server and the
children it forks read this setting; the server that every user shares keeps its own.
"""

import os

os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"
