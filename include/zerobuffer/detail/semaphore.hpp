// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_SEMAPHORE_HPP
#define ZEROBUFFER_DETAIL_SEMAPHORE_HPP

#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <string>

#include <semaphore.h>

namespace zerobuffer::detail {

/// A POSIX named semaphore (`sem_open`), owned: the destructor closes it
/// (`sem_close`), never unlinks it. Move-only; a moved-from or
/// default-constructed object is closed (`is_open()` false).
///
/// Names start with '/' ("/sem-w-foo"); glibc keeps the semaphore in
/// `/dev/shm/sem.<name without the '/'>`. A name without the '/' gets one.
///
/// Thread-safety: an open object may be used from several threads at once
/// (post, the waits, `native_handle()`); creating, moving, assigning or
/// destroying it may not race with any other use of the same object. The
/// `sem_t` itself is process-shared: every process that opened the name sees
/// one count.
///
/// Errors are `errno` values in the system category. The members that wait
/// or post require `is_open()`; on a closed object they fail (post: EBADF,
/// the waits: false) instead of crashing.
class semaphore {
public:
    /// A closed semaphore (`is_open()` false).
    semaphore() noexcept = default;
    /// Closes the semaphore if open (`sem_close`); the name stays.
    ~semaphore();

    semaphore(const semaphore&) = delete;
    semaphore& operator=(const semaphore&) = delete;
    /// Takes `other`'s semaphore; `other` is then closed.
    semaphore(semaphore&& other) noexcept;
    /// Closes this one's semaphore, then takes `other`'s; `other` is then closed.
    semaphore& operator=(semaphore&& other) noexcept;

    /// Creates `name` exclusively (O_CREAT | O_EXCL), value 0, with exactly
    /// `mode` (the permission bits): `sem_open` applies the umask, so the mode
    /// is set again on the semaphore's file. Errors: those of `sem_open`
    /// (EEXIST when the name exists, EACCES, EINVAL, ENAMETOOLONG, ...) and of
    /// `chmod` (the semaphore is then removed again). On error the result is
    /// closed.
    static semaphore create(const std::string& name, unsigned mode, boost::system::error_code& ec);
    /// Opens the existing semaphore `name`. Errors: those of `sem_open`
    /// (ENOENT when there is none, EACCES, ...). On error the result is closed.
    static semaphore open(const std::string& name, boost::system::error_code& ec);
    /// Unlinks `name` (`sem_unlink`); objects already open keep working. False
    /// when it did not exist or could not be removed.
    static bool remove(const std::string& name) noexcept;

    /// Adds one token (`sem_post`), waking one waiter. EOVERFLOW (the count is
    /// at SEM_VALUE_MAX; nothing is added) is reported in `ec`.
    void post(boost::system::error_code& ec) noexcept;
    /// Takes a token if one is there (`sem_trywait`, retried on EINTR); never
    /// blocks.
    bool try_wait() noexcept;
    /// Takes up to `max` tokens, as many as are there, and never blocks;
    /// returns how many. On glibc (its layout checked once per process) one
    /// compare-and-swap takes them all: a reader that owes the writer's posts
    /// their tokens in batches takes the semaphore's cache line once per
    /// batch instead of once per token. Elsewhere, `try_wait` in a loop.
    std::uint64_t try_take(std::uint64_t max) noexcept;
    /// Waits up to `timeout` for a token: `wait_until(now + timeout)` on the
    /// steady clock, saturating (`nanoseconds::max()` waits forever). A zero or
    /// negative timeout is one `try_wait()`.
    bool timed_wait(std::chrono::nanoseconds timeout) noexcept;
    /// Waits for a token until `deadline` (`sem_clockwait` on CLOCK_MONOTONIC,
    /// the steady clock's), retrying on EINTR with the same deadline. Setting
    /// the realtime clock does not move the deadline. A deadline in the past
    /// takes a token if one is there and returns at once; `time_point::max()`
    /// (or any deadline too far for a `timespec`) waits forever. False on
    /// timeout (or error).
    bool wait_until(std::chrono::steady_clock::time_point deadline) noexcept;

    /// Whether this object holds an open semaphore.
    bool is_open() const noexcept { return sem_ != nullptr; }
    /// The `sem_t` for waiters outside this class (an event loop's thread,
    /// raw `sem_*` calls); null when closed. Valid while this object holds it:
    /// never `sem_close` it.
    sem_t* native_handle() const noexcept { return sem_; }

private:
    explicit semaphore(sem_t* sem) noexcept : sem_(sem) {}

    sem_t* sem_ = nullptr;
};

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_SEMAPHORE_HPP
