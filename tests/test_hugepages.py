"""The in-memory copy moves into transparent huge pages: which regions are chosen, and that the kernel takes them."""

import pytest

from hugepages_probe import anon_huge_kb, available
from samkart.sparql.hugepages import SMALLEST, back_with_huge_pages, dense_regions

MB = 2**20
SMAPS = """\
7f0000000000-7f0004000000 rw-p 00000000 00:00 0
Rss:               65536 kB
7f1000000000-7f1000800000 rw-p 00000000 00:00 0
Rss:                 128 kB
7f2000000000-7f2004000000 rw-p 00000000 08:01 1234                       /usr/lib/big.so
Rss:               65536 kB
7f3000000000-7f3004000000 r--p 00000000 00:00 0
Rss:               65536 kB
7f4000000000-7f4000100000 rw-p 00000000 00:00 0
Rss:                1024 kB
55d000000000-55d010000000 rw-p 00000000 00:00 0                          [heap]
Rss:              262144 kB
7ffd00000000-7ffd00800000 rw-p 00000000 00:00 0                          [stack]
Rss:                8192 kB
"""


def test_only_large_dense_private_writable_anonymous_regions_are_chosen():
    """The filled 64 MB region and the heap are chosen; a sparse one (a thread stack), a file mapping, a
    read-only one, one under the smallest size and the main stack are not."""
    assert dense_regions(SMAPS) == [(0x7F0000000000, 64 * MB), (0x55D000000000, 256 * MB)]
    assert dense_regions(SMAPS, smallest=512 * MB) == []
    assert SMALLEST == 4 * MB


@pytest.mark.skipif(not available(), reason="no transparent huge pages on this system")
def test_a_filled_region_moves_into_huge_pages():
    """64 MB written through: the kernel accepts it (Linux >= 6.1) and the process then holds huge pages."""
    block = bytearray(b"x" * (64 * MB))
    done = back_with_huge_pages()
    if done == 0:
        pytest.skip("this kernel has no MADV_COLLAPSE (Linux < 6.1)")
    assert done >= 32 * MB
    assert anon_huge_kb() >= 32 * 1024
    assert block[-1] == ord("x")
