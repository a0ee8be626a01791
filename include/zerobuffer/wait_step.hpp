// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_WAIT_STEP_HPP
#define ZEROBUFFER_WAIT_STEP_HPP

/// @file
/// What a wait driven by the caller (`frame_wait`, `space_wait`) asks of its
/// driver next.

namespace zerobuffer {

/// The result of `frame_wait::advance()` and `space_wait::advance()`.
enum class wait_step {
    /// Sleep on the wait's `semaphore()` until its `sleep_until()`, your own
    /// way; then call `slept(taken)` and `advance()` again.
    sleep,
    /// The wait is over: take its result.
    done,
};

} // namespace zerobuffer

#endif // ZEROBUFFER_WAIT_STEP_HPP
