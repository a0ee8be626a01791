// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer/frame_wait.hpp and space_wait.hpp: the wait machine driven from
// outside a blocking call. The drivers here sleep their own way (a helper
// thread in sem_clockwait, or naps and sem_trywait), then complete the step:
// the frame is consumed, the space reserved, and nothing is lost: the next
// blocking call goes on in sequence.

#define BOOST_TEST_MODULE driven_wait
#include <boost/test/unit_test.hpp>

#include "support/child_process.hpp"
#include "support/frames.hpp"
#include "support/naming.hpp"
#include "support/raw_segment.hpp"

#include <zerobuffer/error.hpp>
#include <zerobuffer/frame_wait.hpp>
#include <zerobuffer/reader.hpp>
#include <zerobuffer/space_wait.hpp>
#include <zerobuffer/writer.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <semaphore.h>

using namespace std::chrono_literals;
using zerobuffer::wait_step;
using zerobuffer::wait_strategy;
namespace ts = zerobuffer::test;

namespace {

/// Sleeps on `sem` until `until` with sem_clockwait on another thread (as an
/// event loop's helper would) and says whether it took a token.
bool sleep_on_helper_thread(sem_t* sem, std::chrono::steady_clock::time_point until)
{
    return std::async(std::launch::async,
                      [sem, until] {
                          const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                              until.time_since_epoch())
                                              .count();
                          const timespec abs{static_cast<time_t>(ns / 1'000'000'000),
                                             static_cast<long>(ns % 1'000'000'000)};
                          int rc = 0;
                          while ((rc = ::sem_clockwait(sem, CLOCK_MONOTONIC, &abs)) != 0 &&
                                 errno == EINTR) {
                          }
                          return rc == 0;
                      })
        .get();
}

/// Sleeps in naps of 1 ms, looking with sem_trywait, until `until`.
bool sleep_in_naps(sem_t* sem, std::chrono::steady_clock::time_point until)
{
    while (std::chrono::steady_clock::now() < until) {
        if (::sem_trywait(sem) == 0) {
            return true;
        }
        std::this_thread::sleep_for(1ms);
    }
    return ::sem_trywait(sem) == 0;
}

/// Drives `w` to its end with `sleep`; returns how many sleeps it took.
template <class Wait, class Sleep>
int drive(Wait& w, Sleep sleep)
{
    int sleeps = 0;
    while (w.advance() == wait_step::sleep) {
        ++sleeps;
        w.slept(sleep(w.semaphore(), w.sleep_until()));
    }
    BOOST_TEST(w.done());
    return sleeps;
}

wait_strategy sleeping(std::chrono::milliseconds liveness = 100ms)
{
    wait_strategy s = wait_strategy::blocking();
    s.liveness_interval = liveness;
    return s;
}

} // namespace

BOOST_AUTO_TEST_CASE(a_frame_already_there_is_taken_without_a_sleep)
{
    const std::string name = ts::unique_name("driven_ready");
    zerobuffer::reader r(name, {.payload_size = 64 * 1024});
    zerobuffer::writer w(name);
    w.write_frame(std::string("ready"));
    zerobuffer::frame_wait wait(r, 1s, sleeping());
    BOOST_TEST((wait.advance() == wait_step::done));
    const zerobuffer::frame f = wait.take_frame();
    BOOST_TEST_REQUIRE(f.valid());
    BOOST_TEST(f.sequence() == 1U);
}

// A gap found at the first look is the wait's error, as read_frame's (the
// error was dropped there: the asynchronous reader completed with timed_out).
BOOST_AUTO_TEST_CASE(a_sequence_gap_at_the_first_look_is_the_waits_error)
{
    const std::string name = ts::unique_name("driven_gap");
    zerobuffer::reader r(name, {.metadata_size = 0, .payload_size = 4096});
    zerobuffer::writer w(name);
    w.write_frame(std::string("one"));
    w.write_frame(std::string("two"));
    ts::raw_segment seg(name);
    seg.put_u64(128 + 19 + 8, 9); // the second header's sequence: 2 -> 9
    BOOST_TEST(r.read_frame(1s).sequence() == 1U);
    zerobuffer::frame_wait wait(r, 1s, sleeping());
    BOOST_TEST((wait.advance() == wait_step::done));
    boost::system::error_code ec;
    const zerobuffer::frame f = wait.take_frame(ec);
    BOOST_TEST(ec == zerobuffer::errc::sequence_error, ec.message());
    BOOST_TEST(!f.valid());
    BOOST_TEST(r.read_frame(1s).sequence() == 9U); // then resynchronized
}

BOOST_AUTO_TEST_CASE(a_frame_wait_sleeps_its_drivers_way_and_consumes_the_frame)
{
    for (const auto& [how, sleep] :
         {std::pair{"helper thread", &sleep_on_helper_thread}, std::pair{"naps", &sleep_in_naps}}) {
        BOOST_TEST_CONTEXT(how)
        {
            const std::string name = ts::unique_name("driven_read");
            zerobuffer::reader r(name, {.payload_size = 64 * 1024});
            zerobuffer::writer w(name);
            zerobuffer::frame_wait wait(r, 10s, sleeping());
            BOOST_TEST_REQUIRE((wait.advance() == wait_step::sleep));
            BOOST_TEST((wait.sleep_until() <= std::chrono::steady_clock::now() + 100ms));
            auto later = std::async(std::launch::async, [&w] {
                std::this_thread::sleep_for(50ms);
                w.write_frame(std::string("first"));
                w.write_frame(std::string("second"));
            });
            wait.slept(sleep(wait.semaphore(), wait.sleep_until()));
            drive(wait, sleep);
            later.get();
            const zerobuffer::frame first = wait.take_frame();
            BOOST_TEST_REQUIRE(first.valid());
            BOOST_TEST(first.sequence() == 1U);
            BOOST_TEST(std::string(reinterpret_cast<const char*>(first.data()), first.size()) ==
                       "first");
            // The next blocking read goes on in sequence, and the tokens are
            // in step: a third frame wakes a blocking read at once.
            const zerobuffer::frame second = r.read_frame(1s);
            BOOST_TEST_REQUIRE(second.valid());
            BOOST_TEST(second.sequence() == 2U);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_frame_wait_times_out_after_its_slices)
{
    const std::string name = ts::unique_name("driven_timeout");
    zerobuffer::reader r(name, {.payload_size = 64 * 1024});
    zerobuffer::frame_wait wait(r, 120ms, sleeping(50ms));
    const auto start = std::chrono::steady_clock::now();
    const int sleeps = drive(wait, &sleep_in_naps);
    BOOST_TEST((std::chrono::steady_clock::now() - start >= 120ms));
    BOOST_TEST(sleeps >= 3); // slices of 50 ms: 50, 50, 20
    boost::system::error_code ec;
    BOOST_TEST(!wait.take_frame(ec).valid());
    BOOST_TEST(!ec);
}

BOOST_AUTO_TEST_CASE(conformance_11_1_an_interrupted_frame_wait_ends_with_operation_aborted)
{
    const std::string name = ts::unique_name("driven_interrupt");
    zerobuffer::reader r(name, {.payload_size = 64 * 1024});
    zerobuffer::writer w(name);
    zerobuffer::frame_wait wait(r, 60s, sleeping(20s));
    BOOST_TEST_REQUIRE((wait.advance() == wait_step::sleep));
    auto interrupter = std::async(std::launch::async, [&wait] {
        std::this_thread::sleep_for(50ms);
        wait.interrupt();
    });
    // The token posted for it ends the helper's sem_clockwait long before
    // the 20 s slice.
    const auto start = std::chrono::steady_clock::now();
    wait.slept(sleep_on_helper_thread(wait.semaphore(), wait.sleep_until()));
    BOOST_TEST((std::chrono::steady_clock::now() - start < 10s));
    interrupter.get();
    drive(wait, &sleep_on_helper_thread);
    BOOST_CHECK_THROW(wait.take_frame(), zerobuffer::operation_aborted);
    // Nothing lost, tokens in step.
    w.write_frame(std::string("after"));
    const zerobuffer::frame f = r.read_frame(1s);
    BOOST_TEST_REQUIRE(f.valid());
    BOOST_TEST(f.sequence() == 1U);
}

// 11.1 A wait interrupted before its first advance looks at nothing: a
// frame already there is the next read's, room already there is not
// reserved (an event loop that posts the first advance may be cancelled
// before it runs).
BOOST_AUTO_TEST_CASE(conformance_11_1_a_frame_wait_interrupted_before_it_advanced_takes_nothing)
{
    const std::string name = ts::unique_name("driven_interrupt_first");
    zerobuffer::reader r(name, {.payload_size = 64 * 1024});
    zerobuffer::writer w(name);
    w.write_frame(std::string("there"));
    zerobuffer::frame_wait wait(r, 60s, sleeping());
    wait.interrupt();
    BOOST_TEST((wait.advance() == wait_step::done));
    BOOST_CHECK_THROW(wait.take_frame(), zerobuffer::operation_aborted);
    const zerobuffer::frame f = r.read_frame(1s);
    BOOST_TEST_REQUIRE(f.valid());
    BOOST_TEST(f.sequence() == 1U);
}

BOOST_AUTO_TEST_CASE(conformance_11_1_a_space_wait_interrupted_before_it_advanced_reserves_nothing)
{
    const std::string name = ts::unique_name("driven_interrupt_room");
    zerobuffer::reader r(name, {.payload_size = 64 * 1024});
    zerobuffer::writer w(name);
    zerobuffer::space_wait wait(w, 100);
    wait.interrupt();
    BOOST_TEST((wait.advance() == wait_step::done));
    BOOST_CHECK_THROW(wait.take_buffer(), zerobuffer::operation_aborted);
    // Nothing reserved: a write goes in, and it is the first frame.
    w.write_frame(std::string("first"));
    BOOST_TEST(w.frames_written() == 1U);
    BOOST_TEST(r.read_frame(1s).sequence() == 1U);
}

BOOST_AUTO_TEST_CASE(a_spinning_frame_wait_sees_the_frame_while_it_advances)
{
    const std::string name = ts::unique_name("driven_spin");
    zerobuffer::reader r(name, {.payload_size = 64 * 1024});
    zerobuffer::writer w(name);
    zerobuffer::frame_wait wait(r, 10s, wait_strategy::busy_poll());
    auto later = std::async(std::launch::async, [&w] {
        std::this_thread::sleep_for(20ms);
        w.write_frame(std::string("spun"));
    });
    BOOST_TEST((wait.advance() == wait_step::done)); // busy-poll spins to the deadline
    later.get();
    BOOST_TEST(wait.take_frame().sequence() == 1U);
}

BOOST_AUTO_TEST_CASE(a_frame_wait_reports_a_writer_killed_in_another_process)
{
    const std::string name = ts::unique_name("driven_dead");
    zerobuffer::reader r(name, {.payload_size = 64 * 1024});
    auto peer = zerobuffer::test_support::start_peer(
        {"write", name, "--count", "1", "--size", "100", "--hold-before-exit"});
    zerobuffer::test_support::expect_line(*peer, "holding");
    BOOST_TEST(r.read_frame(5s).sequence() == 1U);
    zerobuffer::frame_wait wait(r, 30s, sleeping(20ms));
    BOOST_TEST_REQUIRE((wait.advance() == wait_step::sleep));
    peer->kill(SIGKILL);
    drive(wait, &sleep_on_helper_thread);
    BOOST_CHECK_THROW(wait.take_frame(), zerobuffer::writer_dead);
}

BOOST_AUTO_TEST_CASE(a_space_wait_reserves_the_frame_once_the_reader_makes_room)
{
    const std::string name = ts::unique_name("driven_space");
    zerobuffer::reader r(name, {.payload_size = 8 * 1024});
    zerobuffer::writer w(name, {.write_timeout = 10s});
    const std::vector<std::byte> kilobyte(1000, std::byte{0x11});
    const int frames = ts::fill_ring(w, kilobyte);
    zerobuffer::space_wait wait(w, 1000, 10s, sleeping());
    BOOST_TEST_REQUIRE((wait.advance() == wait_step::sleep));
    auto releases = std::async(std::launch::async, [&r] {
        std::this_thread::sleep_for(50ms);
        r.read_frame(1s).release();
    });
    drive(wait, &sleep_on_helper_thread);
    releases.get();
    const std::span<std::byte> area = wait.take_buffer();
    BOOST_TEST_REQUIRE(area.size() == 1000U);
    std::memset(area.data(), 0x22, area.size());
    w.commit_frame();
    BOOST_TEST(w.frames_written() == static_cast<std::uint64_t>(frames + 1));
    for (int i = 2; i <= frames + 1; ++i) {
        const zerobuffer::frame f = r.read_frame(1s);
        BOOST_TEST_REQUIRE(f.valid());
        BOOST_TEST(f.sequence() == static_cast<std::uint64_t>(i));
        BOOST_TEST(std::to_integer<int>(f.bytes()[0]) == (i == frames + 1 ? 0x22 : 0x11));
    }
}

BOOST_AUTO_TEST_CASE(a_space_wait_fails_as_a_write_does)
{
    const std::string name = ts::unique_name("driven_space_errors");
    zerobuffer::reader r(name, {.payload_size = 8 * 1024});
    zerobuffer::writer w(name, {.write_timeout = 10s});
    {
        zerobuffer::space_wait too_large(w, 9000);
        BOOST_TEST((too_large.advance() == wait_step::done));
        BOOST_CHECK_THROW(too_large.take_buffer(), zerobuffer::frame_too_large);
    }
    const std::vector<std::byte> kilobyte(1000, std::byte{0x11});
    ts::fill_ring(w, kilobyte);
    {
        zerobuffer::space_wait full(w, 1000, 60ms, sleeping(20ms));
        drive(full, &sleep_in_naps);
        BOOST_CHECK_THROW(full.take_buffer(), zerobuffer::buffer_full);
    }
    {
        zerobuffer::space_wait interrupted(w, 1000, 60s, sleeping(20s));
        BOOST_TEST_REQUIRE((interrupted.advance() == wait_step::sleep));
        auto interrupter = std::async(std::launch::async, [&interrupted] {
            std::this_thread::sleep_for(50ms);
            interrupted.interrupt();
        });
        interrupted.slept(
            sleep_on_helper_thread(interrupted.semaphore(), interrupted.sleep_until()));
        interrupter.get();
        drive(interrupted, &sleep_on_helper_thread);
        BOOST_CHECK_THROW(interrupted.take_buffer(), zerobuffer::operation_aborted);
    }
    // Nothing was reserved by the failed waits: the writer writes on.
    r.read_frame(1s).release();
    w.write_frame(kilobyte);
    r.close();
    zerobuffer::space_wait dead(w, 1000, 10s, sleeping(20ms));
    drive(dead, &sleep_in_naps);
    BOOST_CHECK_THROW(dead.take_buffer(), zerobuffer::reader_dead);
}
