"""Work split over two processes gives what one process gives, even when the child fails."""

import os

from agreements.store import parallel


def test_two_halves_give_what_one_process_gives(monkeypatch):
    monkeypatch.setattr(parallel, "WORTH_SPLITTING", 2)
    items = list(range(1_001))
    pids = set()

    def work(part):
        pids.add(os.getpid())
        return [sum(part)], os.getpid()

    def merge(first, second):
        return first[0] + second[0], {first[1], second[1]}

    sums, workers = parallel.in_two_halves(items, work, merge)
    assert sum(sums) == sum(items)
    assert len(sums) == 2  # one sum per half, whoever worked it out
    assert pids == {os.getpid()}  # the child's work is not seen in this process's memory
    split = hasattr(os, "fork") and (os.cpu_count() or 1) > 1
    assert len(workers) == (2 if split else 1)
    assert os.getpid() in workers


def test_a_failing_child_leaves_the_work_to_the_parent(monkeypatch):
    monkeypatch.setattr(parallel, "WORTH_SPLITTING", 2)
    parent = os.getpid()

    def work(part):
        if os.getpid() != parent:
            raise RuntimeError("the child breaks")
        return sum(part)

    assert parallel.in_two_halves(list(range(100)), work, lambda a, b: a + b) == sum(range(100))


def test_halves_by_size_hold_about_as_much_work_each():
    parent = os.getpid()
    items = ["a", "b", "c", "d", "e"]

    def work(part):
        return [(item, os.getpid() == parent) for item in part]

    done = parallel.in_two_halves(items, work, lambda a, b: a + b, sizes=[9, 1, 1, 1, 9], worth=10)
    assert [item for item, _ in done] == items
    if hasattr(os, "fork") and (os.cpu_count() or 1) > 1:
        assert [in_parent for _, in_parent in done] == [True, True, False, False, False]
    alone = parallel.in_two_halves(items, work, lambda a, b: a + b, sizes=[1] * 5, worth=10)
    assert all(in_parent for _, in_parent in alone)
