// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_TOKEN_WAIT_HPP
#define ZEROBUFFER_DETAIL_TOKEN_WAIT_HPP

#include <zerobuffer/detail/semaphore.hpp>
#include <zerobuffer/wait_strategy.hpp>

#include <algorithm>
#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace zerobuffer::detail {

/// Tells a spinning core that it spins (cheaper for its sibling hyperthread).
inline void cpu_relax() noexcept
{
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

/// `now + timeout`, saturating instead of overflowing.
inline std::chrono::steady_clock::time_point time_after(std::chrono::steady_clock::time_point now,
                                                        std::chrono::nanoseconds timeout) noexcept
{
    using clock = std::chrono::steady_clock;
    if (timeout <= std::chrono::nanoseconds::zero()) {
        return now;
    }
    if (timeout >= clock::time_point::max() - now) {
        return clock::time_point::max();
    }
    return now + std::chrono::duration_cast<clock::duration>(timeout);
}

/// `now + timeout` on the steady clock, saturating instead of overflowing
/// (a timeout of `nanoseconds::max()` waits forever).
inline std::chrono::steady_clock::time_point deadline_after(std::chrono::nanoseconds timeout)
{
    return time_after(std::chrono::steady_clock::now(), timeout);
}

/// A deadline `timeout` after the moment it is first asked for. A wait that
/// ends within its first few dozen polls never asks, so it never reads the
/// clock (a clock read costs as much as a poll of the peer's line, and in a
/// VM several). Passing one deadline to successive waits keeps it fixed.
class lazy_deadline {
public:
    explicit lazy_deadline(std::chrono::nanoseconds timeout) noexcept : timeout_(timeout) {}

    std::chrono::steady_clock::time_point get() { return get(std::chrono::steady_clock::now()); }

    /// The same, with the time the caller has just read: a zero timeout is
    /// then due at once (a second clock read would land after it).
    std::chrono::steady_clock::time_point get(std::chrono::steady_clock::time_point now) noexcept
    {
        if (!fixed_) {
            deadline_ = time_after(now, timeout_);
            fixed_ = true;
        }
        return deadline_;
    }

    /// Whether a wait has asked for the deadline (and so read the clock).
    bool fixed() const noexcept { return fixed_; }

private:
    std::chrono::nanoseconds timeout_;
    std::chrono::steady_clock::time_point deadline_{};
    bool fixed_ = false;
};

/// What a peer check decided while a side waits for a token.
enum class wait_verdict {
    keep_waiting,
    stop,    ///< an event ends the wait (the checker recorded it)
    proceed, ///< go on without a token: the checker found committed bytes
};

/// The outcome of `wait_for_token`: a token taken, the checker said go on
/// without one, the checker stopped the wait, or the deadline passed.
enum class wait_outcome { token, proceed, stopped, timed_out };

/// Waits for one token of `sem` under `strategy` until `deadline`.
///
/// A spinning side first polls without the clock; the spin budget and the
/// deadline start at the first peer check, a few dozen polls (about a
/// microsecond) after the call, so either may end that much later.
/// `check(bool expensive)` looks at the peer: cheap checks (plain loads of
/// shared memory, no syscalls) every few dozen polls and after each attempt
/// at the semaphore, expensive ones (liveness) once per `liveness_interval`.
/// `ready()` is the poll of a spinning side: a plain load of the counter its
/// peer changes when it makes progress. When it says so, the wait ends with
/// `proceed` and the caller looks for itself: spinning reads one shared cache
/// line and never touches the semaphore's, so the peer's post of its next
/// token finds that line where it left it (a wait that took a token first
/// would pull the line over on every wait, and the peer's post would stall
/// to pull it back). The tokens are the caller's to take later, in bulk.
/// `prepare_to_sleep()` runs once, before the first look at the semaphore:
/// the caller takes the tokens it was owed (they would only wake it for
/// nothing) and looks once more; true ends the wait with `proceed`.
template <class Check, class Ready, class PrepareToSleep>
wait_outcome wait_for_token(semaphore& sem, const wait_strategy& strategy, lazy_deadline& deadline,
                            Check&& check, Ready&& ready, PrepareToSleep&& prepare_to_sleep)
{
    using clock = std::chrono::steady_clock;
    const auto verdict_outcome = [](wait_verdict v) {
        return v == wait_verdict::proceed ? wait_outcome::proceed : wait_outcome::stopped;
    };
    if (strategy.kind != wait_kind::blocking) {
        clock::time_point spin_end{};
        clock::time_point next_liveness{};
        bool started = false; // the clock read at the first peer check
        for (unsigned spins = 1;; ++spins) {
            if (ready()) {
                return wait_outcome::proceed;
            }
            cpu_relax();
            // The peer check and the clock cost more than a poll (and the
            // check may read a line the peer writes): every 64 polls.
            if ((spins & 63U) != 0) {
                continue;
            }
            if (auto v = check(false); v != wait_verdict::keep_waiting) {
                return verdict_outcome(v);
            }
            const auto now = clock::now();
            if (!started) {
                started = true;
                spin_end = strategy.kind == wait_kind::busy_poll
                               ? deadline.get(now)
                               : std::min(deadline.get(now), time_after(now, strategy.spin_budget));
                next_liveness = time_after(now, strategy.liveness_interval);
            }
            if (now >= next_liveness) {
                next_liveness = time_after(now, strategy.liveness_interval);
                if (auto v = check(true); v != wait_verdict::keep_waiting) {
                    return verdict_outcome(v);
                }
            }
            if (now >= spin_end) {
                break;
            }
        }
    }
    if (prepare_to_sleep()) {
        return wait_outcome::proceed;
    }
    for (;;) {
        if (sem.try_wait()) {
            return wait_outcome::token;
        }
        if (auto v = check(false); v != wait_verdict::keep_waiting) {
            return verdict_outcome(v);
        }
        const auto now = clock::now();
        if (now >= deadline.get(now)) {
            // A short wait still looks at the peer once (the checker limits
            // how often that costs syscalls).
            if (auto v = check(true); v != wait_verdict::keep_waiting) {
                return verdict_outcome(v);
            }
            return wait_outcome::timed_out;
        }
        const auto slice =
            std::min<clock::duration>(deadline.get(now) - now, strategy.liveness_interval);
        if (sem.timed_wait(slice)) {
            return wait_outcome::token;
        }
        if (auto v = check(true); v != wait_verdict::keep_waiting) {
            return verdict_outcome(v);
        }
    }
}

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_TOKEN_WAIT_HPP
