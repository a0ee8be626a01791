// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_TOKEN_WAIT_HPP
#define ZEROBUFFER_DETAIL_TOKEN_WAIT_HPP

/// @file
/// The blocking driver of `wait_machine`: a tight spin loop and the semaphore.

#include <zerobuffer/detail/deadline.hpp>
#include <zerobuffer/detail/semaphore.hpp>
#include <zerobuffer/detail/wait_machine.hpp>
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

/// Performs `machine`'s actions with `ops` from `action` on, on the calling
/// thread, until the machine asks for a sleep or is done; returns that action.
/// `ops` performs the actions:
/// - `bool ready()`: the poll of a spinning side, a plain load of the counter
///   its peer changes when it makes progress;
/// - `wait_verdict check(bool expensive)`: a look at the peer;
/// - `bool prepare_to_sleep()`: take the owed tokens and look once more;
/// - `bool try_token()`: the semaphore, never blocking.
/// The polls run in a tight loop here; the machine is asked only every
/// `wait_machine::polls_per_check` polls. Inlined into the caller, as the
/// loop it replaced was: a wait that sees its peer at once costs no call.
template <class Ops>
[[gnu::always_inline]] inline wait_action run_until_sleep(wait_machine& machine, Ops& ops,
                                                          wait_action action)
{
    using clock = wait_machine::clock;
    // The clock after a cheap look only, and only when the wait goes on.
    const auto report = [&machine](wait_verdict verdict) {
        return machine.checked(
            verdict, verdict == wait_verdict::keep_waiting ? clock::now() : clock::time_point{});
    };
    for (;;) {
        switch (action) {
        case wait_action::spin: {
            bool seen = false;
            for (unsigned i = 0; i < wait_machine::polls_per_check; ++i) {
                if (ops.ready()) {
                    seen = true;
                    break;
                }
                cpu_relax();
            }
            action = machine.spun(seen);
            break;
        }
        case wait_action::check_peer: action = report(ops.check(false)); break;
        case wait_action::check_liveness: action = machine.checked(ops.check(true)); break;
        case wait_action::prepare_to_sleep:
            action = machine.prepared(ops.prepare_to_sleep());
            break;
        case wait_action::try_token: action = machine.tried(ops.try_token()); break;
        case wait_action::sleep:
        case wait_action::done: return action;
        }
    }
}

/// Runs `machine` to its end on the calling thread and returns how it ended:
/// `run_until_sleep`, and the sleeps on the semaphore through
/// `bool ops.sleep_until(steady_clock::time_point)` (which may end early,
/// e.g. when the wait is interrupted).
template <class Ops>
[[gnu::always_inline]] inline wait_outcome drive_wait(wait_machine& machine, Ops& ops)
{
    wait_action action = machine.start();
    for (;;) {
        action = run_until_sleep(machine, ops, action);
        if (action == wait_action::done) {
            return machine.outcome();
        }
        action = machine.slept(ops.sleep_until(machine.sleep_until()));
    }
}

/// Waits for one token of `sem` under `strategy` until `deadline`: the
/// machine driven on this thread, with callbacks for the side's looks.
///
/// `ready()` is the poll of a spinning side. When it says so, the wait ends
/// with `proceed` and the caller looks for itself: spinning reads one shared
/// cache line and never touches the semaphore's, so the peer's post of its
/// next token finds that line where it left it (a wait that took a token
/// first would pull the line over on every wait, and the peer's post would
/// stall to pull it back). The tokens are the caller's to take later, in
/// bulk. `prepare_to_sleep()` runs once, before the first look at the
/// semaphore: the caller takes the tokens it was owed and looks once more;
/// true ends the wait with `proceed`.
template <class Check, class Ready, class PrepareToSleep>
wait_outcome wait_for_token(semaphore& sem, const wait_strategy& strategy, lazy_deadline& deadline,
                            Check&& check, Ready&& ready, PrepareToSleep&& prepare_to_sleep)
{
    struct callback_ops {
        semaphore& sem;
        Check& check_peer;
        Ready& poll;
        PrepareToSleep& prepare;

        bool ready() { return poll(); }
        wait_verdict check(bool expensive) { return check_peer(expensive); }
        bool prepare_to_sleep() { return prepare(); }
        bool try_token() { return sem.try_wait(); }
        bool sleep_until(std::chrono::steady_clock::time_point until)
        {
            return sem.wait_until(until);
        }
    } ops{sem, check, ready, prepare_to_sleep};
    wait_machine machine(strategy, deadline);
    return drive_wait(machine, ops);
}

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_TOKEN_WAIT_HPP
