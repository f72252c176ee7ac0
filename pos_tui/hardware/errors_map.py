"""The one place a library's exception becomes one of our HardwareErrors.

python-escpos wraps the real cause of a failed open in DeviceNotFoundError
(with the OSError as its context), pyserial raises SerialException carrying
an errno, sockets raise OSError subclasses and pyusb its own USBError; each
means one of a few things a person can act on: the device is missing, the
OS will not let us open it, it went away, or it stopped answering.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from pos_tui.hardware.base import (
    DeviceMissing,
    HardwareError,
    Offline,
    PermissionDenied,
    Timeout,
)
from pos_tui.i18n import _

_MISSING = {errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.ENOTDIR}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}
_GONE = {errno.EIO, errno.EPIPE, errno.ECONNRESET, errno.ECONNABORTED, errno.ESHUTDOWN, errno.ENOTCONN}
_UNREACHABLE = {errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN, errno.ENETDOWN}


def _usb_classes() -> tuple[type | None, type | None, type | None]:
    """pyusb's NoBackendError, USBTimeoutError and USBError, or None when pyusb is not installed."""
    try:
        import usb.core
    except ImportError:
        return None, None, None
    return usb.core.NoBackendError, getattr(usb.core, "USBTimeoutError", None), usb.core.USBError


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps, outermost first (escpos re-raises without `from`)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 8:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _errno(exc: BaseException) -> int | None:
    code = getattr(exc, "errno", None)
    if isinstance(code, int):
        return code
    args = getattr(exc, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def _one(exc: BaseException, device: str) -> HardwareError | None:
    """Our error for one link of the chain, or None if this link says nothing definite."""
    if isinstance(exc, HardwareError):
        return exc
    no_backend, usb_timeout, usb_error = _usb_classes()
    if no_backend is not None and isinstance(exc, no_backend):
        return HardwareError(_("{device}: no USB library (libusb) was found").format(device=device),
                             _("install libusb-1.0 (apt install libusb-1.0-0) or use printer.type file with "
                               "/dev/usb/lp0"))
    if usb_timeout is not None and isinstance(exc, usb_timeout):
        return Timeout(_("{device} stopped answering").format(device=device))
    try:
        import serial
    except ImportError:  # pragma: no cover - pyserial is a dependency
        serial = None  # type: ignore[assignment]
    if serial is not None and isinstance(exc, serial.SerialTimeoutException):
        return Timeout(_("{device} did not take the data in time").format(device=device))
    if isinstance(exc, ConnectionRefusedError):
        return Offline(_("{device} refused the connection").format(device=device), _("check that the printer is on "
                                                                                     "and the host and port are right"))
    if isinstance(exc, socket.gaierror):
        return DeviceMissing(_("{device}: no such host").format(device=device), _("check printer.host"))
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return Timeout(_("{device} stopped answering").format(device=device))
    if isinstance(exc, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
        return Offline(_("{device} went away in the middle of the job (unplugged or switched off?)").format(device=device))
    code = _errno(exc)
    if isinstance(exc, OSError) or (usb_error is not None and isinstance(exc, usb_error)):
        if code in _DENIED:
            return PermissionDenied(_("no permission to use {device}").format(device=device))
        if code in _MISSING:
            return DeviceMissing(_("{device} is not there").format(device=device))
        if code in _GONE:
            return Offline(_("{device} went away in the middle of the job (unplugged or switched off?)").format(device=device))
        if code in _UNREACHABLE:
            return Offline(_("{device} cannot be reached on the network").format(device=device))
        if code == errno.EBUSY:
            return Offline(_("{device} is busy").format(device=device), _("another program holds the device; stop it "
                                                                          "(or its printing service) first"))
        if code is None and serial is not None and isinstance(exc, serial.SerialException):
            # pyserial's "device reports readiness to read but returned no data": the adapter was pulled.
            return Offline(_("{device} went away ({exc})").format(device=device, exc=exc))
    if isinstance(exc, RuntimeError) and "usb library" in str(exc).lower():
        return HardwareError(_("{device}: USB printing needs pyusb").format(device=device), _("install pyusb and "
                                                                                              "libusb-1.0, or use "
                                                                                              "printer.type file"))
    return None


def map_error(exc: BaseException, device: str) -> HardwareError:
    """Our error for a library's exception (looking through what it wraps)."""
    for link in _causes(exc):
        mapped = _one(link, device)
        if mapped is not None:
            return mapped
    try:
        from escpos.exceptions import DeviceNotFoundError
    except ImportError:  # pragma: no cover - python-escpos is a dependency
        DeviceNotFoundError = ()  # type: ignore[assignment,misc]
    if isinstance(exc, DeviceNotFoundError):
        return DeviceMissing(_("{device} was not found").format(device=device))
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return HardwareError(_("{device} failed: {detail}").format(device=device, detail=detail), _("check the device "
                                                                                                "and its settings "
                                                                                                "with `pos hardware "
                                                                                                "list`"))


@contextmanager
def device_errors(device: str) -> Iterator[None]:
    """Run driver calls for `device`; anything the libraries raise comes out as a HardwareError."""
    try:
        yield
    except HardwareError:
        raise
    except Exception as exc:
        raise map_error(exc, device) from exc
