// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_WAIT_MACHINE_HPP
#define ZEROBUFFER_DETAIL_WAIT_MACHINE_HPP

/// @file
/// How one side waits for its peer, as a machine with no I/O: it says what to
/// do next (spin, look at the peer, take owed tokens, try the semaphore, sleep
/// a slice) and its driver does it and reports back. The blocking calls drive
/// it with a tight spin loop and the semaphore (token_wait.hpp); an event loop
/// drives the same machine and sleeps its own way. Nothing here reads a clock:
/// the driver reports the time where the machine needs it, so tests run it on
/// a fake clock.

#include <zerobuffer/detail/deadline.hpp>
#include <zerobuffer/wait_strategy.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace zerobuffer::detail {

/// What a peer check decided while a side waits for a token.
enum class wait_verdict {
    keep_waiting,
    stop,    ///< an event ends the wait (the checker recorded it)
    proceed, ///< go on without a token: the checker found what the side waits for
};

/// How a wait ended: a token taken, the side may go on without one (the
/// peer's progress was seen), a check stopped it, or the deadline passed.
enum class wait_outcome { token, proceed, stopped, timed_out };

/// The next thing a wait's driver does, and what it reports back.
enum class wait_action : std::uint8_t {
    /// Poll the peer's progress (a plain load) up to `wait_machine::polls_per_check`
    /// times with a pause between polls, no clock; report `spun(seen)`.
    spin,
    /// Look at the peer cheaply (plain loads of shared memory, no syscall);
    /// report `checked(verdict, now)`, reading the clock after the look.
    check_peer,
    /// Look at the peer thoroughly (liveness: syscalls); report
    /// `checked(verdict)`: the machine needs no time after it.
    check_liveness,
    /// Take the tokens owed for what was already consumed (they would only
    /// wake the side for nothing) and look once more; report `prepared(found)`.
    prepare_to_sleep,
    /// Take a token if one is there, never blocking; report `tried(taken)`.
    try_token,
    /// Sleep on the semaphore until `sleep_until()` (or until woken);
    /// report `slept(taken)`.
    sleep,
    /// The wait is over: `outcome()` says how.
    done,
};

/// One wait of a reader for a frame or of a writer for space.
///
/// A spinning side (busy-poll, spin-then-block) polls first without the
/// clock; its spin budget and the deadline start at the first peer check, a
/// few dozen polls after the start. Cheap checks come after every
/// `polls_per_check` polls and after each miss at the semaphore; liveness
/// once per `liveness_interval` while spinning and after every slice of
/// sleep. Before its first look at the semaphore a side prepares to sleep.
/// A sleeping side sleeps in slices of at most `liveness_interval`; past the
/// deadline it checks the peer once more and times out.
///
/// Thread safety: one driver at a time. The deadline must outlive the
/// machine; it may be shared by successive machines of one call, so that the
/// call's timeout stays fixed.
class wait_machine {
public:
    using clock = std::chrono::steady_clock;

    /// Polls between two peer checks of a spinning side: a check and a clock
    /// read cost more than a poll (and the check may read a line the peer
    /// writes), so they come every 64 polls, about a microsecond.
    static constexpr unsigned polls_per_check = 64;

    /// How many liveness intervals a watched slice of sleep lasts at most
    /// (`watched_sleep_until`): 5 s by default. A watch ends the sleep when
    /// the peer leaves; this bound only catches what a watch cannot see.
    static constexpr unsigned watched_slice_intervals = 50;

    wait_machine(const wait_strategy& strategy, lazy_deadline& deadline) noexcept
        : strategy_(strategy), deadline_(&deadline)
    {
    }

    /// The first action: `spin` for a spinning side, `prepare_to_sleep` for a
    /// blocking one.
    wait_action start() noexcept
    {
        if (strategy_.kind == wait_kind::blocking) {
            return wait_action::prepare_to_sleep;
        }
        return wait_action::spin;
    }

    /// After `spin`: `seen`, the peer made progress.
    wait_action spun(bool seen) noexcept
    {
        if (seen) {
            return finish(wait_outcome::proceed);
        }
        pending_ = check::spinning;
        return wait_action::check_peer;
    }

    /// After `check_peer` or `check_liveness`. `now`, read after a
    /// `check_peer`, is ignored (and need not be read) after a
    /// `check_liveness` or when the verdict is not `keep_waiting`.
    wait_action checked(wait_verdict verdict, clock::time_point now = {}) noexcept
    {
        if (verdict != wait_verdict::keep_waiting) {
            return finish(verdict == wait_verdict::proceed ? wait_outcome::proceed
                                                           : wait_outcome::stopped);
        }
        switch (pending_) {
        case check::spinning: return spinning_checked(now);
        case check::spinning_liveness: return spin_or_sleep(checked_at_);
        case check::before_sleep: return sleep_or_give_up(now);
        case check::at_deadline: return finish(wait_outcome::timed_out);
        case check::after_sleep: return wait_action::try_token;
        }
        return finish(wait_outcome::timed_out); // unreachable: every check is listed
    }

    /// After `prepare_to_sleep`: `found`, the last look found what the side waits for.
    wait_action prepared(bool found) noexcept
    {
        return found ? finish(wait_outcome::proceed) : wait_action::try_token;
    }

    /// After `try_token`.
    wait_action tried(bool taken) noexcept
    {
        if (taken) {
            return finish(wait_outcome::token);
        }
        pending_ = check::before_sleep;
        return wait_action::check_peer;
    }

    /// After `sleep`: `taken`, a token was taken (else the slice ended, or the
    /// driver gave up its sleep early).
    wait_action slept(bool taken) noexcept
    {
        if (taken) {
            return finish(wait_outcome::token);
        }
        pending_ = check::after_sleep;
        return wait_action::check_liveness;
    }

    /// When the current `sleep` ends at the latest: the deadline or one
    /// liveness interval, whichever comes first.
    clock::time_point sleep_until() const noexcept { return sleep_until_; }

    /// When the current `sleep` ends at the latest for a driver that also
    /// ends it as soon as a watch of the peer fires (its departure or death
    /// shows as an event): the first slice of a wait is `sleep_until()`, so
    /// a wait its peer ends soon never pays for a watch; later slices end at
    /// the deadline or after `watched_slice_intervals` liveness intervals.
    clock::time_point watched_sleep_until() const noexcept { return watched_until_; }

    /// How the wait ended; meaningful once an action was `done`.
    wait_outcome outcome() const noexcept { return outcome_; }

private:
    /// Which check the driver is performing, so its verdict leads on.
    enum class check : std::uint8_t {
        spinning,          ///< the cheap check between spins
        spinning_liveness, ///< the liveness check while spinning
        before_sleep,      ///< the cheap check after a miss at the semaphore
        at_deadline,       ///< the last look once the deadline passed
        after_sleep,       ///< the liveness check after a slice of sleep
    };

    wait_action spinning_checked(clock::time_point now) noexcept
    {
        checked_at_ = now;
        if (!started_) {
            started_ = true;
            const auto deadline = deadline_->get(now);
            spin_end_ = strategy_.kind == wait_kind::busy_poll
                            ? deadline
                            : std::min(deadline, time_after(now, strategy_.spin_budget));
            next_liveness_ = time_after(now, strategy_.liveness_interval);
        }
        if (now >= next_liveness_) {
            next_liveness_ = time_after(now, strategy_.liveness_interval);
            pending_ = check::spinning_liveness;
            return wait_action::check_liveness;
        }
        return spin_or_sleep(now);
    }

    wait_action spin_or_sleep(clock::time_point now) noexcept
    {
        return now >= spin_end_ ? wait_action::prepare_to_sleep : wait_action::spin;
    }

    wait_action sleep_or_give_up(clock::time_point now) noexcept
    {
        const auto deadline = deadline_->get(now);
        if (now >= deadline) {
            // A short wait still looks at the peer once (the checker limits
            // how often that costs syscalls).
            pending_ = check::at_deadline;
            return wait_action::check_liveness;
        }
        sleep_until_ = std::min(deadline, time_after(now, strategy_.liveness_interval));
        watched_until_ = slices_ == 0 ? sleep_until_ : std::min(deadline, watched_slice_end(now));
        ++slices_;
        return wait_action::sleep;
    }

    clock::time_point watched_slice_end(clock::time_point now) const noexcept
    {
        constexpr auto longest = std::chrono::nanoseconds::max() / watched_slice_intervals;
        return strategy_.liveness_interval >= longest
                   ? clock::time_point::max()
                   : time_after(now, watched_slice_intervals * strategy_.liveness_interval);
    }

    wait_action finish(wait_outcome outcome) noexcept
    {
        outcome_ = outcome;
        return wait_action::done;
    }

    wait_strategy strategy_;
    lazy_deadline* deadline_;
    clock::time_point spin_end_{};
    clock::time_point next_liveness_{};
    clock::time_point sleep_until_{};
    clock::time_point watched_until_{};
    clock::time_point checked_at_{}; // the time of the last cheap check while spinning
    wait_outcome outcome_ = wait_outcome::timed_out;
    check pending_ = check::spinning;
    bool started_ = false; // the clock was read at the first peer check
    unsigned slices_ = 0;  // the sleeps asked for so far
};

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_WAIT_MACHINE_HPP
