// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer/detail/token_wait.hpp: a wait that ends within its first polls
// never reads the clock; the deadline counts from the first time a wait asks
// for it and then stays fixed; spinning, sleeping, tokens and peer verdicts
// end a wait as documented.

#define BOOST_TEST_MODULE token_wait
#include <boost/test/unit_test.hpp>

#include "support/naming.hpp"

#include <zerobuffer/detail/semaphore.hpp>
#include <zerobuffer/detail/token_wait.hpp>

#include <chrono>
#include <string>
#include <thread>

using namespace std::chrono_literals;
using zerobuffer::wait_strategy;
using zerobuffer::detail::lazy_deadline;
using zerobuffer::detail::semaphore;
using zerobuffer::detail::wait_for_token;
using zerobuffer::detail::wait_outcome;
using zerobuffer::detail::wait_verdict;
using clock_type = std::chrono::steady_clock;

namespace {

/// A named semaphore (value 0) removed when the fixture goes.
struct semaphore_fixture {
    std::string name = "/sem-w-" + zerobuffer::test::unique_name("token_wait");
    semaphore sem;

    semaphore_fixture()
    {
        boost::system::error_code ec;
        sem = semaphore::create(name, 0600, ec);
        BOOST_TEST_REQUIRE(!ec, ec.message());
    }
    ~semaphore_fixture() { semaphore::remove(name); }
};

/// What the callbacks of one wait were asked, and how often.
struct calls {
    int checks = 0;    ///< peer checks, cheap and expensive
    int expensive = 0; ///< of which expensive
    int polls = 0;
    int sleeps = 0; ///< prepare_to_sleep (it never finds anything)
};

/// Runs one wait, counting its callbacks in `n`: the peer check answers
/// `verdict(n, expensive)`, a poll answers `ready(n)` (both after counting).
template <class Verdict, class Ready>
wait_outcome counted_wait(semaphore& sem, const wait_strategy& strategy, lazy_deadline& deadline,
                          calls& n, Verdict verdict, Ready ready)
{
    return wait_for_token(
        sem, strategy, deadline,
        [&](bool expensive) {
            ++n.checks;
            n.expensive += expensive ? 1 : 0;
            return verdict(n, expensive);
        },
        [&] {
            ++n.polls;
            return ready(n);
        },
        [&] {
            ++n.sleeps;
            return false;
        });
}

/// A peer that never says anything, and a poll that never sees anything.
wait_verdict keep_waiting(const calls&, bool)
{
    return wait_verdict::keep_waiting;
}
bool never_ready(const calls&)
{
    return false;
}

} // namespace

BOOST_AUTO_TEST_CASE(deadline_counts_from_the_first_time_it_is_asked_for)
{
    lazy_deadline deadline(50ms);
    BOOST_TEST(!deadline.fixed());
    std::this_thread::sleep_for(30ms);
    const auto before = clock_type::now();
    const auto first = deadline.get();
    BOOST_TEST(deadline.fixed());
    BOOST_TEST((first >= before + 50ms)); // not 30 ms early
    std::this_thread::sleep_for(5ms);
    BOOST_TEST((deadline.get() == first)); // fixed from then on
}

BOOST_AUTO_TEST_CASE(deadline_saturates_and_a_zero_timeout_is_now)
{
    lazy_deadline forever(std::chrono::nanoseconds::max());
    BOOST_TEST((forever.get() == clock_type::time_point::max()));

    const auto before = clock_type::now();
    lazy_deadline now(0ns);
    lazy_deadline negative(-5s);
    BOOST_TEST((now.get() >= before));
    BOOST_TEST((now.get() <= clock_type::now()));
    BOOST_TEST((negative.get() >= before));
}

BOOST_AUTO_TEST_CASE(a_wait_ready_within_its_first_polls_never_reads_the_clock)
{
    semaphore_fixture f;
    for (const wait_strategy& strategy :
         {wait_strategy::busy_poll(), wait_strategy::spin_then_block()}) {
        lazy_deadline deadline(1s);
        calls n;
        const auto outcome = counted_wait(f.sem, strategy, deadline, n, keep_waiting,
                                          [](const calls& c) { return c.polls == 40; });
        BOOST_TEST((outcome == wait_outcome::proceed));
        BOOST_TEST(n.polls == 40);
        BOOST_TEST(n.checks == 0);
        BOOST_TEST(n.sleeps == 0);
        BOOST_TEST(!deadline.fixed());
    }
}

BOOST_AUTO_TEST_CASE(a_spinning_wait_that_checks_its_peer_fixes_the_deadline)
{
    semaphore_fixture f;
    lazy_deadline deadline(1s);
    calls n;
    const auto outcome = counted_wait(
        f.sem, wait_strategy::busy_poll(), deadline, n,
        [](const calls& c, bool) {
            return c.checks == 3 ? wait_verdict::proceed : wait_verdict::keep_waiting;
        },
        never_ready);
    BOOST_TEST((outcome == wait_outcome::proceed));
    BOOST_TEST(n.checks == 3);
    BOOST_TEST(n.polls == 3 * 64); // a peer check every 64 polls
    BOOST_TEST(n.sleeps == 0);
    BOOST_TEST(deadline.fixed());
}

BOOST_AUTO_TEST_CASE(a_busy_poll_wait_times_out_no_earlier_than_its_timeout)
{
    semaphore_fixture f;
    const auto start = clock_type::now();
    lazy_deadline deadline(30ms);
    calls n;
    const auto outcome =
        counted_wait(f.sem, wait_strategy::busy_poll(), deadline, n, keep_waiting, never_ready);
    BOOST_TEST((outcome == wait_outcome::timed_out));
    BOOST_TEST((clock_type::now() - start >= 30ms));
    BOOST_TEST(n.sleeps == 1); // it looks once more before it gives up
    BOOST_TEST(n.checks > 0);
}

BOOST_AUTO_TEST_CASE(spin_then_block_sleeps_once_its_budget_is_spent_and_takes_a_token)
{
    semaphore_fixture f;
    lazy_deadline deadline(10s);
    calls n;
    std::thread poster([&] {
        std::this_thread::sleep_for(50ms);
        boost::system::error_code ec;
        f.sem.post(ec);
    });
    const auto outcome = counted_wait(f.sem, wait_strategy::spin_then_block(100us), deadline, n,
                                      keep_waiting, never_ready);
    poster.join();
    BOOST_TEST((outcome == wait_outcome::token));
    BOOST_TEST(n.sleeps == 1);
    BOOST_TEST(n.polls >= 64);     // it spun before it slept
    BOOST_TEST(!f.sem.try_wait()); // the one token was taken
}

BOOST_AUTO_TEST_CASE(a_blocking_wait_never_polls_and_a_verdict_stops_it)
{
    semaphore_fixture f;
    lazy_deadline deadline(std::chrono::nanoseconds::max());
    calls n;
    const auto outcome = counted_wait(
        f.sem, wait_strategy{zerobuffer::wait_kind::blocking, 0ns, 10ms}, deadline, n,
        [](const calls& c, bool expensive) {
            return expensive && c.checks >= 4 ? wait_verdict::stop : wait_verdict::keep_waiting;
        },
        [](const calls&) { return true; });
    BOOST_TEST((outcome == wait_outcome::stopped));
    BOOST_TEST(n.polls == 0);
    BOOST_TEST(n.sleeps == 1);
    BOOST_TEST(deadline.fixed());
}

BOOST_AUTO_TEST_CASE(a_zero_timeout_is_due_at_once_without_a_sleep)
{
    // try_read_frame and a write with no timeout: one look at the semaphore,
    // one at the peer, and out; no timed sleep of a few nanoseconds.
    semaphore_fixture f;
    for (const std::chrono::nanoseconds timeout : {0ns, std::chrono::nanoseconds(-1s)}) {
        lazy_deadline deadline(timeout);
        calls n;
        const auto outcome =
            counted_wait(f.sem, wait_strategy::blocking(), deadline, n, keep_waiting, never_ready);
        BOOST_TEST((outcome == wait_outcome::timed_out));
        BOOST_TEST(n.checks == 2); // the cheap check, then the one at the deadline
        BOOST_TEST(n.expensive == 1);
        BOOST_TEST(n.polls == 0);
    }
}
