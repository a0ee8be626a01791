// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer/detail/wait_machine.hpp: the wait as a machine with no I/O,
// driven here on a fake clock with no semaphore and no peer. Each case
// compares the sequence of actions the machine asks for with what the wait
// strategies promise: a spinning side polls before it reads the clock, checks
// its peer between spins and its liveness once per interval, prepares before
// it looks at the semaphore, sleeps in slices of at most the liveness
// interval, and looks at its peer once more before it times out.

#define BOOST_TEST_MODULE wait_machine
#include <boost/test/unit_test.hpp>

#include <zerobuffer/detail/wait_machine.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <ostream>
#include <vector>

using namespace std::chrono_literals;
using zerobuffer::wait_kind;
using zerobuffer::wait_strategy;
using zerobuffer::detail::lazy_deadline;
using zerobuffer::detail::wait_action;
using zerobuffer::detail::wait_machine;
using zerobuffer::detail::wait_outcome;
using zerobuffer::detail::wait_verdict;
using time_point = wait_machine::clock::time_point;

namespace zerobuffer::detail {
std::ostream& operator<<(std::ostream& os, wait_action a)
{
    static constexpr const char* names[] = {
        "spin", "check_peer", "check_liveness", "prepare", "try_token", "sleep", "done"};
    return os << names[static_cast<int>(a)];
}
std::ostream& operator<<(std::ostream& os, wait_outcome o)
{
    static constexpr const char* names[] = {"token", "proceed", "stopped", "timed_out"};
    return os << names[static_cast<int>(o)];
}
} // namespace zerobuffer::detail

namespace {

using A = wait_action;

/// A driver with a fake clock: every action it performs advances the clock
/// by a fixed cost (a spin 1 us, a sleep to its end), and the answers come
/// from the test's callbacks. Records every action the machine asked for.
struct fake_driver {
    time_point now{std::chrono::seconds(1000)};
    std::chrono::nanoseconds spin_cost = 1us;
    std::function<bool(int)> seen = [](int) { return false; }; ///< spin number -> progress
    std::function<wait_verdict(A, time_point)> verdict = [](A, time_point) {
        return wait_verdict::keep_waiting;
    };
    std::function<bool()> found = [] { return false; };
    std::function<bool(time_point)> token = [](time_point) { return false; }; ///< try/sleep
    std::vector<A> actions;
    std::vector<time_point> sleeps; ///< each sleep's end

    wait_outcome run(wait_machine& m, std::size_t limit = 10000)
    {
        A a = m.start();
        int spins = 0;
        while (a != A::done && actions.size() < limit) {
            actions.push_back(a);
            switch (a) {
            case A::spin:
                now += spin_cost;
                a = m.spun(seen(++spins));
                break;
            case A::check_peer:
            case A::check_liveness: a = m.checked(verdict(a, now), now); break;
            case A::prepare_to_sleep: a = m.prepared(found()); break;
            case A::try_token: a = m.tried(token(now)); break;
            case A::sleep:
                sleeps.push_back(m.sleep_until());
                now = m.sleep_until();
                a = m.slept(token(now));
                break;
            case A::done: break;
            }
        }
        BOOST_TEST_REQUIRE((a == A::done), "the machine ended within " << limit << " actions");
        return m.outcome();
    }

    std::size_t count(A kind) const
    {
        std::size_t n = 0;
        for (A a : actions) {
            n += a == kind ? 1 : 0;
        }
        return n;
    }
};

} // namespace

BOOST_AUTO_TEST_CASE(progress_seen_while_spinning_ends_the_wait_before_the_clock_is_asked)
{
    for (const wait_strategy& s : {wait_strategy::busy_poll(), wait_strategy::spin_then_block()}) {
        lazy_deadline deadline(1s);
        wait_machine m(s, deadline);
        fake_driver d;
        d.seen = [](int spin) { return spin == 1; };
        BOOST_TEST((d.run(m) == wait_outcome::proceed));
        BOOST_TEST((d.actions == std::vector<A>{A::spin}));
        BOOST_TEST(!deadline.fixed()); // the driver never had to read the clock
    }
}

BOOST_AUTO_TEST_CASE(a_spinning_side_checks_its_peer_between_spins_and_fixes_the_deadline_then)
{
    lazy_deadline deadline(1s);
    wait_machine m(wait_strategy::busy_poll(), deadline);
    fake_driver d;
    d.seen = [](int spin) { return spin == 3; };
    BOOST_TEST((d.run(m) == wait_outcome::proceed));
    BOOST_TEST(
        (d.actions == std::vector<A>{A::spin, A::check_peer, A::spin, A::check_peer, A::spin}));
    BOOST_TEST(deadline.fixed());
    BOOST_TEST((deadline.get() == time_point{std::chrono::seconds(1000)} + 1us + 1s));
}

BOOST_AUTO_TEST_CASE(verdicts_end_the_wait_at_every_kind_of_check)
{
    struct expectation {
        wait_verdict verdict;
        wait_outcome outcome;
    };
    for (auto [verdict, outcome] : {expectation{wait_verdict::proceed, wait_outcome::proceed},
                                    expectation{wait_verdict::stop, wait_outcome::stopped}}) {
        // The check between spins.
        {
            lazy_deadline deadline(1s);
            wait_machine m(wait_strategy::busy_poll(), deadline);
            fake_driver d;
            d.verdict = [v = verdict](A, time_point) { return v; };
            BOOST_TEST((d.run(m) == outcome));
            BOOST_TEST((d.actions == std::vector<A>{A::spin, A::check_peer}));
        }
        // The liveness check after a slice of sleep.
        {
            lazy_deadline deadline(1s);
            wait_machine m(wait_strategy::blocking(), deadline);
            fake_driver d;
            d.verdict = [v = verdict](A a, time_point) {
                return a == A::check_liveness ? v : wait_verdict::keep_waiting;
            };
            BOOST_TEST((d.run(m) == outcome));
            BOOST_TEST((d.actions == std::vector<A>{A::prepare_to_sleep, A::try_token,
                                                    A::check_peer, A::sleep, A::check_liveness}));
        }
    }
}

BOOST_AUTO_TEST_CASE(spin_then_block_spins_for_its_budget_then_prepares_and_sleeps)
{
    lazy_deadline deadline(10s);
    wait_machine m(wait_strategy::spin_then_block(20us), deadline);
    fake_driver d;
    d.verdict = [&d](A, time_point) {
        return d.sleeps.size() == 2 ? wait_verdict::stop : wait_verdict::keep_waiting;
    };
    BOOST_TEST((d.run(m) == wait_outcome::stopped));
    // One spin before the first check fixes the budget's start (1 us); the
    // budget (20 us of 1 us spins) is spent at 21 us.
    BOOST_TEST(d.count(A::spin) == 21U);
    BOOST_TEST(d.count(A::prepare_to_sleep) == 1U); // once, before the first look at the semaphore
    BOOST_TEST(d.count(A::sleep) == 2U);
    // Every spin is followed by a cheap check, and no liveness check came
    // while spinning (its interval is 100 ms).
    const auto first_prepare =
        std::find(d.actions.begin(), d.actions.end(), A::prepare_to_sleep) - d.actions.begin();
    for (std::ptrdiff_t i = 0; i < first_prepare; ++i) {
        BOOST_TEST(
            (d.actions[static_cast<std::size_t>(i)] == (i % 2 == 0 ? A::spin : A::check_peer)));
    }
    const std::vector<A> tail(d.actions.begin() + first_prepare, d.actions.end());
    BOOST_TEST((tail == std::vector<A>{A::prepare_to_sleep, A::try_token, A::check_peer, A::sleep,
                                       A::check_liveness, A::try_token, A::check_peer, A::sleep,
                                       A::check_liveness}));
}

BOOST_AUTO_TEST_CASE(a_busy_poll_side_checks_liveness_once_per_interval_while_it_spins)
{
    lazy_deadline deadline(1s);
    wait_strategy s = wait_strategy::busy_poll();
    s.liveness_interval = 100us;
    wait_machine m(s, deadline);
    fake_driver d;
    d.seen = [](int spin) { return spin == 1000; };
    BOOST_TEST((d.run(m) == wait_outcome::proceed));
    // 1000 spins of 1 us: a liveness check every 100 us.
    BOOST_TEST(d.count(A::spin) == 1000U);
    BOOST_TEST(d.count(A::check_peer) == 999U);
    // The interval starts at the first check (1 us): checks at 101 .. 901 us.
    BOOST_TEST(d.count(A::check_liveness) == 9U);
    BOOST_TEST(d.count(A::sleep) == 0U);
}

BOOST_AUTO_TEST_CASE(a_busy_poll_side_spins_to_its_deadline_then_looks_once_more_and_times_out)
{
    lazy_deadline deadline(50us);
    wait_machine m(wait_strategy::busy_poll(), deadline);
    fake_driver d;
    BOOST_TEST((d.run(m) == wait_outcome::timed_out));
    BOOST_TEST(d.count(A::sleep) == 0U); // the deadline came before any slice could
    const std::vector<A> tail(d.actions.end() - 5, d.actions.end());
    BOOST_TEST((tail == std::vector<A>{A::check_peer, A::prepare_to_sleep, A::try_token,
                                       A::check_peer, A::check_liveness}));
    BOOST_TEST((d.now >= deadline.get()));
}

BOOST_AUTO_TEST_CASE(a_blocking_side_never_spins_and_sleeps_in_slices_up_to_its_deadline)
{
    lazy_deadline deadline(250ms);
    wait_strategy s = wait_strategy::blocking();
    s.liveness_interval = 100ms;
    wait_machine m(s, deadline);
    fake_driver d;
    BOOST_TEST((d.run(m) == wait_outcome::timed_out));
    BOOST_TEST(d.count(A::spin) == 0U);
    BOOST_TEST(d.count(A::prepare_to_sleep) == 1U);
    const time_point start{std::chrono::seconds(1000)};
    // Slices of the liveness interval; the last one ends at the deadline.
    BOOST_TEST((d.sleeps == std::vector<time_point>{start + 100ms, start + 200ms, start + 250ms}));
    BOOST_TEST((deadline.get() == start + 250ms));
}

BOOST_AUTO_TEST_CASE(a_token_ends_the_wait_from_a_try_or_from_a_sleep)
{
    {
        lazy_deadline deadline(1s);
        wait_machine m(wait_strategy::blocking(), deadline);
        fake_driver d;
        d.token = [](time_point) { return true; };
        BOOST_TEST((d.run(m) == wait_outcome::token));
        BOOST_TEST((d.actions == std::vector<A>{A::prepare_to_sleep, A::try_token}));
    }
    {
        lazy_deadline deadline(1s);
        wait_machine m(wait_strategy::blocking(), deadline);
        fake_driver d;
        int tries = 0;
        d.token = [&tries](time_point) { return ++tries == 2; }; // the sleep takes it
        BOOST_TEST((d.run(m) == wait_outcome::token));
        BOOST_TEST((d.actions ==
                    std::vector<A>{A::prepare_to_sleep, A::try_token, A::check_peer, A::sleep}));
    }
}

BOOST_AUTO_TEST_CASE(what_the_last_look_before_sleeping_finds_ends_the_wait)
{
    lazy_deadline deadline(1s);
    wait_machine m(wait_strategy::spin_then_block(3us), deadline);
    fake_driver d;
    d.found = [] { return true; };
    BOOST_TEST((d.run(m) == wait_outcome::proceed));
    BOOST_TEST(d.actions.back() == A::prepare_to_sleep);
    BOOST_TEST(d.count(A::try_token) == 0U);
}

BOOST_AUTO_TEST_CASE(a_zero_timeout_looks_twice_and_never_sleeps)
{
    // try_read_frame and a try of the writer: one look at the semaphore, one
    // cheap look at the peer, the last look at the deadline, and out.
    for (const std::chrono::nanoseconds timeout : {0ns, std::chrono::nanoseconds(-1s)}) {
        lazy_deadline deadline(timeout);
        wait_machine m(wait_strategy::blocking(), deadline);
        fake_driver d;
        BOOST_TEST((d.run(m) == wait_outcome::timed_out));
        BOOST_TEST((d.actions == std::vector<A>{A::prepare_to_sleep, A::try_token, A::check_peer,
                                                A::check_liveness}));
    }
}

BOOST_AUTO_TEST_CASE(successive_machines_of_one_call_share_its_deadline)
{
    // A read woken for nothing starts a new machine; its timeout keeps running.
    lazy_deadline deadline(250ms);
    wait_strategy s = wait_strategy::blocking();
    s.liveness_interval = 100ms;
    fake_driver d;
    {
        wait_machine first(s, deadline);
        d.token = [](time_point) { return true; };
        BOOST_TEST((d.run(first) == wait_outcome::token));
    }
    // The token announced nothing: the driver fixes the deadline then (the
    // machine took the token without reading the clock).
    BOOST_TEST(!deadline.fixed());
    deadline.get(d.now);
    d.now += 150ms;
    d.token = [](time_point) { return false; };
    d.sleeps.clear();
    wait_machine second(s, deadline);
    BOOST_TEST((d.run(second) == wait_outcome::timed_out));
    const time_point start{std::chrono::seconds(1000)};
    BOOST_TEST((d.sleeps == std::vector<time_point>{start + 250ms}));
}

BOOST_AUTO_TEST_CASE(a_sleep_that_ends_early_is_followed_by_a_liveness_check_and_a_try)
{
    // An outside driver (an event loop) may end a sleep before its slice
    // ends; the machine goes on as after a slice.
    lazy_deadline deadline(1s);
    wait_machine m(wait_strategy::blocking(), deadline);
    BOOST_TEST((m.start() == A::prepare_to_sleep));
    BOOST_TEST((m.prepared(false) == A::try_token));
    BOOST_TEST((m.tried(false) == A::check_peer));
    const time_point t{std::chrono::seconds(5)};
    BOOST_TEST((m.checked(wait_verdict::keep_waiting, t) == A::sleep));
    BOOST_TEST((m.sleep_until() == t + 100ms));
    BOOST_TEST((m.slept(false) == A::check_liveness));
    BOOST_TEST((m.checked(wait_verdict::keep_waiting, t + 1ms) == A::try_token));
    BOOST_TEST((m.tried(false) == A::check_peer));
    BOOST_TEST((m.checked(wait_verdict::keep_waiting, t + 2ms) == A::sleep));
    BOOST_TEST((m.sleep_until() == t + 102ms));
}

BOOST_AUTO_TEST_CASE(after_a_liveness_check_the_machine_needs_no_time)
{
    // The driver reads the clock after cheap checks only: a spinning side's
    // liveness check is judged by the time of the cheap check before it.
    lazy_deadline deadline(1s);
    wait_machine m(wait_strategy::busy_poll(), deadline);
    const time_point t{std::chrono::seconds(7)};
    BOOST_TEST((m.start() == A::spin));
    BOOST_TEST((m.spun(false) == A::check_peer));
    BOOST_TEST((m.checked(wait_verdict::keep_waiting, t) == A::spin));
    BOOST_TEST((m.spun(false) == A::check_peer));
    BOOST_TEST((m.checked(wait_verdict::keep_waiting, t + 100ms) == A::check_liveness));
    // A time passed here (past the deadline) is ignored: the wait spins on.
    BOOST_TEST((m.checked(wait_verdict::keep_waiting, t + 2s) == A::spin));
    BOOST_TEST((m.spun(false) == A::check_peer));
    // At the deadline: a liveness check is due, then the spin is over.
    BOOST_TEST((m.checked(wait_verdict::keep_waiting, t + 1s) == A::check_liveness));
    BOOST_TEST((m.checked(wait_verdict::keep_waiting) == A::prepare_to_sleep));
}

BOOST_AUTO_TEST_CASE(a_watched_sleep_is_a_slice_first_then_up_to_fifty_liveness_intervals)
{
    // A driver that also wakes when a watch of the peer fires may sleep
    // longer, but only from the second slice on: a wait its peer ends within
    // the first slice never arms a watch.
    lazy_deadline deadline(60s);
    wait_machine m(wait_strategy::blocking(), deadline);
    BOOST_TEST((m.start() == A::prepare_to_sleep));
    BOOST_TEST((m.prepared(false) == A::try_token));
    BOOST_TEST((m.tried(false) == A::check_peer));
    const time_point t{std::chrono::seconds(5)};
    BOOST_TEST((m.checked(wait_verdict::keep_waiting, t) == A::sleep));
    BOOST_TEST((m.watched_sleep_until() == m.sleep_until()));
    BOOST_TEST((m.sleep_until() == t + 100ms));
    BOOST_TEST((m.slept(false) == A::check_liveness));
    BOOST_TEST((m.checked(wait_verdict::keep_waiting) == A::try_token));
    BOOST_TEST((m.tried(false) == A::check_peer));
    BOOST_TEST((m.checked(wait_verdict::keep_waiting, t + 101ms) == A::sleep));
    BOOST_TEST((m.sleep_until() == t + 201ms));
    BOOST_TEST(
        (m.watched_sleep_until() == t + 101ms + wait_machine::watched_slice_intervals * 100ms));
    // A watched slice that ended early (the watch fired) looks at the peer
    // like any other, and the next one is watched again.
    BOOST_TEST((m.slept(false) == A::check_liveness));
    BOOST_TEST((m.checked(wait_verdict::keep_waiting) == A::try_token));
    BOOST_TEST((m.tried(false) == A::check_peer));
    BOOST_TEST((m.checked(wait_verdict::keep_waiting, t + 300ms) == A::sleep));
    BOOST_TEST((m.watched_sleep_until() == t + 5300ms));
}

BOOST_AUTO_TEST_CASE(a_watched_sleep_never_passes_the_deadline_and_saturates)
{
    const time_point t{std::chrono::seconds(5)};
    {
        lazy_deadline deadline(1s);
        deadline.get(t);
        wait_machine m(wait_strategy::blocking(), deadline);
        fake_driver d;
        d.now = t;
        std::vector<time_point> watched;
        d.token = [&](time_point) {
            if (d.actions.back() == A::sleep) {
                watched.push_back(m.watched_sleep_until());
            }
            return false;
        };
        BOOST_TEST((d.run(m) == wait_outcome::timed_out));
        BOOST_TEST_REQUIRE(watched.size() >= 2U);
        BOOST_TEST((watched[0] == t + 100ms)); // the first slice
        BOOST_TEST((watched[1] == t + 1s));    // the deadline, not 5 s
    }
    {
        // A liveness interval too long to multiply: the slice ends at the
        // deadline, never at a wrapped-around time.
        wait_strategy s = wait_strategy::blocking();
        s.liveness_interval = std::chrono::nanoseconds::max() / 2;
        lazy_deadline deadline(std::chrono::nanoseconds::max());
        wait_machine m(s, deadline);
        BOOST_TEST((m.start() == A::prepare_to_sleep));
        BOOST_TEST((m.prepared(false) == A::try_token));
        BOOST_TEST((m.tried(false) == A::check_peer));
        BOOST_TEST((m.checked(wait_verdict::keep_waiting, t) == A::sleep));
        BOOST_TEST((m.slept(false) == A::check_liveness));
        BOOST_TEST((m.checked(wait_verdict::keep_waiting) == A::try_token));
        BOOST_TEST((m.tried(false) == A::check_peer));
        BOOST_TEST((m.checked(wait_verdict::keep_waiting, t + 1ms) == A::sleep));
        BOOST_TEST((m.watched_sleep_until() == time_point::max()));
    }
}
