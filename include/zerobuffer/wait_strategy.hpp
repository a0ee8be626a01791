// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_WAIT_STRATEGY_HPP
#define ZEROBUFFER_WAIT_STRATEGY_HPP

/// @file
/// How a reader waits for a frame and a writer for free space. Every strategy
/// keeps the protocol's semaphore discipline (one `sem-w` token per frame, one
/// `sem-r` token per release), so a peer that blocks on its semaphore is always
/// woken, whatever strategy this side uses.

#include <chrono>

namespace zerobuffer {

/// The kinds of waiting.
enum class wait_kind {
    blocking,        ///< sleep on the semaphore at once: no CPU while waiting
    spin_then_block, ///< poll shared memory for `spin_budget`, then sleep
    busy_poll,       ///< poll until the deadline; lowest latency, one core busy
};

/// A wait strategy and its parameters.
struct wait_strategy {
    wait_kind kind = wait_kind::spin_then_block;
    /// How long `spin_then_block` polls before it sleeps.
    std::chrono::nanoseconds spin_budget = std::chrono::microseconds(20);
    /// How often a sleeping side wakes to check that its peer is alive.
    std::chrono::nanoseconds liveness_interval = std::chrono::milliseconds(100);

    static wait_strategy blocking() { return {wait_kind::blocking}; }
    static wait_strategy
    spin_then_block(std::chrono::nanoseconds budget = std::chrono::microseconds(20))
    {
        return {wait_kind::spin_then_block, budget};
    }
    static wait_strategy busy_poll() { return {wait_kind::busy_poll}; }
};

} // namespace zerobuffer

#endif // ZEROBUFFER_WAIT_STRATEGY_HPP
