// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_SRC_SLEEPER_HPP
#define ZEROBUFFER_ASIO_SRC_SLEEPER_HPP

// What a wait_service does with the sleeps of driven waits (frame_wait,
// space_wait): sleep on a semaphore until a token is there or a deadline
// passes, then say whether a token was taken. futex_sleeper implements it
// with helper threads in futex_waitv, uring_sleeper with futex waits on an
// io_uring of the io_context (wait_service.cpp chooses).

#include <zerobuffer/asio/wait_service.hpp>
#include <zerobuffer/wait_step.hpp>

#include <chrono>
#include <cstdint>
#include <functional>

#include <semaphore.h>

namespace zerobuffer::asio::detail {

/// One sleep: `done(taken)` is called exactly once, never inside `start()`,
/// from a backend thread or the io_context's; `taken` says that a token of
/// `sem` was taken for the sleeper (sem_trywait succeeded). A sleep ends when
/// a token is there, at `deadline`, or at `cancel()`.
///
/// With a `watch` descriptor, a backend that can poll it (io_uring) sleeps
/// until `watch.until` instead, or until the descriptor is readable; one
/// that cannot (futex_waitv) ignores it and sleeps until `deadline`.
struct sleep_request {
    sem_t* sem = nullptr;
    std::chrono::steady_clock::time_point deadline;
    std::function<void(bool taken)> done;
    peer_watch watch{};
};

class sleeper {
public:
    virtual ~sleeper() = default;

    virtual wait_backend backend() const noexcept = 0;

    /// Starts a sleep; returns its id (never 0) for `cancel`.
    virtual std::uint64_t start(sleep_request request) = 0;

    /// Ends the sleep `id` soon if it is still asleep (its `done` is still
    /// called once, from the backend). Unknown or finished ids are ignored.
    virtual void cancel(std::uint64_t id) noexcept = 0;

    /// The execution context shuts down: every sleep ends without calling its
    /// `done` (the callbacks are destroyed), later starts are ignored.
    virtual void shutdown() noexcept = 0;
};

} // namespace zerobuffer::asio::detail

#endif // ZEROBUFFER_ASIO_SRC_SLEEPER_HPP
