// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_WAIT_STEP_HPP
#define ZEROBUFFER_WAIT_STEP_HPP

/// @file
/// What a wait driven by the caller (`frame_wait`, `space_wait`) asks of its
/// driver next.

#include <chrono>

namespace zerobuffer {

/// The result of `frame_wait::advance()` and `space_wait::advance()`.
enum class wait_step {
    /// Sleep on the wait's `semaphore()` until its `sleep_until()`, your own
    /// way; then call `slept(taken)` and `advance()` again.
    sleep,
    /// The wait is over: take its result.
    done,
};

/// How long a driver that can also sleep on a descriptor may sleep (see
/// `frame_wait::watch_peer`): until `until` at the latest, or until `fd` is
/// readable (the peer may have attached, left or died: advance then, a look
/// tells which). With `fd` -1 there is nothing to watch and `until` is the
/// wait's `sleep_until()`.
struct peer_watch {
    int fd = -1;
    std::chrono::steady_clock::time_point until{};
};

} // namespace zerobuffer

#endif // ZEROBUFFER_WAIT_STEP_HPP
