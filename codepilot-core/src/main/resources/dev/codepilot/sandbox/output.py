# CodePilot sandbox output capture: what a block prints. One of the bootstrap files (see
# bootstrap.py); nothing here decides what a block may reach.


class _Capture:
    """Collects what a block prints, keeping the head and the tail within a limit. One per
    context, emptied before every block."""

    __slots__ = ("limit", "head", "head_size", "tail", "tail_size", "total")

    def __init__(self, limit):
        self.limit = limit
        self.reset()

    def reset(self):
        self.head = []
        self.head_size = 0
        self.tail = []
        self.tail_size = 0
        self.total = 0

    def write(self, text):
        if type(text) is not str:
            text = str(text)
        size = len(text)
        self.total += size
        if self.head_size < self.limit:
            if self.head_size + size <= self.limit:
                # The usual case: the whole text fits in the head.
                self.head.append(text)
                self.head_size += size
                return size
            taken = text[:self.limit - self.head_size]
            self.head.append(taken)
            self.head_size += len(taken)
            text = text[len(taken):]
        self.tail.append(text)
        self.tail_size += len(text)
        if self.tail_size > 2 * self.limit:
            kept = "".join(self.tail)[-self.limit:]
            self.tail = [kept]
            self.tail_size = len(kept)
        return size

    def flush(self):
        pass

    def isatty(self):
        return False

    def text(self):
        head = "".join(self.head)
        if not self.tail:
            return head
        tail = "".join(self.tail)[-self.limit:]
        dropped = self.total - len(head) - len(tail)
        if dropped > 0:
            return head + "\n[... %d chars truncated ...]\n" % dropped + tail
        return head + tail
