"""Sample-rate conversion for speech: a windowed-sinc resampler (the method Kaldi's LinearResample uses) that
works on a whole file or block by block from a microphone, with the same result either way."""
from __future__ import annotations

from math import gcd

import numpy as np

ZEROS = 8  # sinc zero crossings each side of the centre: wider is sharper and slower
_BATCH = 16384  # output samples computed per step, to bound memory on long files


class Resampler:
    """Converts a stream of samples from in_rate to out_rate. Output sample n is at time n / out_rate, a
    weighted sum of the input around that time; the filter cuts just below the lower Nyquist frequency, so
    downsampling does not alias."""

    def __init__(self, in_rate: int, out_rate: int) -> None:
        if in_rate <= 0 or out_rate <= 0:
            raise ValueError(f"sample rates must be positive, not {in_rate} and {out_rate}")
        self.in_rate, self.out_rate = in_rate, out_rate
        g = gcd(in_rate, out_rate)
        self._up, self._down = out_rate // g, in_rate // g  # every `up` outputs span `down` inputs
        cutoff = 0.99 * 0.5 * min(in_rate, out_rate)
        half_width = ZEROS / (2.0 * cutoff)  # seconds each side of an output sample
        # For each phase p (output n = k*up + p), the first input index it reads (relative to k*down) and the
        # weights of the inputs from there on; all phases padded to the same number of taps.
        times = np.arange(self._up) / out_rate
        self._first = np.ceil((times - half_width) * in_rate).astype(np.int64)
        taps = int(np.max(np.floor((times + half_width) * in_rate).astype(np.int64) - self._first)) + 1
        t = times[:, None] - (self._first[:, None] + np.arange(taps)[None, :]) / in_rate
        window = np.where(np.abs(t) < half_width, 0.5 * (1 + np.cos(2 * np.pi * cutoff / ZEROS * t)), 0.0)
        self._weights = (window * 2 * cutoff * np.sinc(2 * cutoff * t) / in_rate).astype(np.float32)
        self._taps = taps
        self._lead = max(0, -int(self._first.min()))  # inputs before the stream's start read as silence
        self._buffer = np.zeros(self._lead, dtype=np.float32)
        self._buffer_start = -self._lead  # the input index of _buffer[0]
        self._seen = 0  # inputs received
        self._made = 0  # outputs produced

    def process(self, samples: np.ndarray, final: bool = False) -> np.ndarray:
        """The output samples that the input so far determines (float32); with final=True, all the rest."""
        if self.in_rate == self.out_rate:
            return np.asarray(samples, dtype=np.float32)
        self._buffer = np.concatenate([self._buffer, np.asarray(samples, dtype=np.float32)])
        self._seen += len(samples)
        if final:  # the output covers the input's whole duration; past its end reads as silence
            end = -(-self._seen * self._up // self._down)
            self._buffer = np.concatenate([self._buffer, np.zeros(self._taps, dtype=np.float32)])
        else:  # only the outputs whose last tap has arrived (the last tap grows with n)
            n = np.arange(self._made, max(self._made, -(-self._seen * self._up // self._down) + 1))
            last = (n // self._up) * self._down + self._first[n % self._up] + self._taps - 1
            end = self._made + int(np.count_nonzero(last < self._seen))
        out = [self._compute(n0, min(n0 + _BATCH, end)) for n0 in range(self._made, end, _BATCH)]
        self._made = max(self._made, end)
        drop = (self._made // self._up) * self._down + int(self._first.min()) - self._buffer_start
        if drop > 0:
            self._buffer = self._buffer[drop:]
            self._buffer_start += drop
        return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)

    def _compute(self, n0: int, n1: int) -> np.ndarray:
        n = np.arange(n0, n1)
        phase = n % self._up
        start = (n // self._up) * self._down + self._first[phase] - self._buffer_start
        frames = self._buffer[start[:, None] + np.arange(self._taps)[None, :]]
        return np.einsum("ij,ij->i", frames, self._weights[phase])


def resample(samples: np.ndarray, in_rate: int, out_rate: int) -> np.ndarray:
    """A whole signal converted from in_rate to out_rate (float32)."""
    return Resampler(in_rate, out_rate).process(samples, final=True)


def to_int16(samples: np.ndarray) -> np.ndarray:
    """Float samples on the 16-bit scale, rounded and clipped to 16-bit integers."""
    return np.clip(np.rint(samples), -32768, 32767).astype(np.int16)
