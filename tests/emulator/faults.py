"""Injected faults: what the next matching requests suffer instead of (or on top of) a normal answer."""

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field


class Fault(BaseModel):
    """One fault, applied to the next `times` requests with exactly this method and path (query excluded)."""

    model_config = ConfigDict(extra='forbid')

    method: str
    path: str = Field(pattern=r'^/')
    times: int = Field(1, ge=1)
    action: Literal['status', 'delay', 'reset', 'drop_after_commit', 'preempt']
    status: Optional[int] = Field(None, ge=100, le=599)
    headers: dict[str, str] = {}
    body: Optional[str] = None
    content_type: Optional[str] = None
    seconds: float = Field(0, ge=0, le=300)


class FaultQueue:
    """Faults in the order they were added; the first one matching a request is used (FIFO per match)."""

    def __init__(self):
        self.faults = []

    def add(self, fault):
        self.faults.append(fault)

    def clear(self):
        self.faults = []

    def take(self, method, path):
        """The fault for this request, if any, counting it down."""
        for fault in self.faults:
            if fault.method.upper() == method and fault.path == path:
                fault.times -= 1
                if fault.times == 0:
                    self.faults.remove(fault)
                return fault
        return None
