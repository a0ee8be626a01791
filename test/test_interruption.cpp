// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// CONFORMANCE 11.1: a blocking read and a blocking write, spinning and
// sleeping, end with operation_aborted when their object is closed from
// another thread or their stop token is stopped; nothing is lost and the
// object stays consistent.
//
// The sides sleep with a liveness interval of 20 s and wait up to 60 s, so a
// wait that is not woken would end 20 s late: each case requires the end
// within 5 s (a functional bound, not a performance one) and prints the
// latency it measured ("interruption latency").

#define BOOST_TEST_MODULE interruption
#include <boost/test/unit_test.hpp>

#include "support/frames.hpp"
#include "support/naming.hpp"

#include <zerobuffer/reader.hpp>
#include <zerobuffer/writer.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <iostream>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using zerobuffer::wait_kind;
using zerobuffer::wait_strategy;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr auto long_wait = 60s;
constexpr auto bound = 5s;

/// The strategies of a waiting side: spinning all along, sleeping at once,
/// and sleeping once its spin budget is spent. Liveness checks are rare, so
/// only a wake-up can end a sleep early.
std::vector<std::pair<const char*, wait_strategy>> strategies()
{
    const auto rare = [](wait_strategy s) {
        s.liveness_interval = 20s;
        return s;
    };
    return {{"busy_poll", rare(wait_strategy::busy_poll())},
            {"blocking", rare(wait_strategy::blocking())},
            {"spin_then_block", rare(wait_strategy::spin_then_block(20us))}};
}

/// How a wait is ended from outside.
enum class interrupter { close, stop_token };

const char* name_of(interrupter i)
{
    return i == interrupter::close ? "close" : "stop_token";
}

/// Runs `wait(stop)` on another thread, lets it wait for 100 ms, interrupts
/// it with `close` or through its stop token, and returns the error code it
/// ended with and how long after the interruption it ended.
template <class Wait, class Close>
std::pair<boost::system::error_code, clock_type::duration> interrupt(interrupter how, Wait wait,
                                                                     Close close)
{
    std::stop_source source;
    std::atomic<clock_type::rep> ended{0};
    auto result = std::async(std::launch::async, [&] {
        const boost::system::error_code ec = wait(source.get_token());
        ended.store(clock_type::now().time_since_epoch().count());
        return ec;
    });
    std::this_thread::sleep_for(100ms);
    BOOST_TEST_REQUIRE(ended.load() == 0, "the wait ended before it was interrupted");
    const auto requested = clock_type::now();
    if (how == interrupter::close) {
        close();
    } else {
        source.request_stop();
    }
    BOOST_TEST_REQUIRE((result.wait_for(bound) == std::future_status::ready),
                       "the wait did not end within 5 s of its interruption");
    const boost::system::error_code ec = result.get();
    const auto latency = clock_type::time_point(clock_type::duration(ended.load())) - requested;
    return {ec, latency};
}

void report(const char* side, const char* strategy, interrupter how, clock_type::duration latency)
{
    std::cout << "interruption latency: " << side << ' ' << strategy << ' ' << name_of(how) << ' '
              << std::chrono::duration<double, std::micro>(latency).count() << " us\n";
}

/// Fills the writer's ring with 1000-byte frames until the next does not fit.
int fill(zerobuffer::writer& w)
{
    return zerobuffer::test::fill_ring(w, std::vector<std::byte>(1000, std::byte{0x5a}));
}

} // namespace

BOOST_AUTO_TEST_CASE(conformance_11_1_a_waiting_read_ends_with_operation_aborted)
{
    for (const auto& [strategy_name, strategy] : strategies()) {
        for (const interrupter how : {interrupter::close, interrupter::stop_token}) {
            BOOST_TEST_CONTEXT(strategy_name << ", " << name_of(how))
            {
                const std::string name = zerobuffer::test::unique_name("interrupt_read");
                zerobuffer::reader r(name, {.payload_size = 64 * 1024, .wait = strategy});
                zerobuffer::writer w(name);
                std::atomic<bool> got_frame{false}; // no BOOST_TEST off the main thread
                const auto [ec, latency] = interrupt(
                    how,
                    [&](std::stop_token stop) {
                        boost::system::error_code e;
                        got_frame = r.read_frame(long_wait, stop, e).valid();
                        return e;
                    },
                    [&] { r.close(); });
                BOOST_TEST((ec == zerobuffer::operation_aborted_code()), ec.message());
                BOOST_TEST(!got_frame);
                report("read", strategy_name, how, latency);
                if (how == interrupter::close) {
                    BOOST_TEST(!r.is_open());
                    boost::system::error_code e;
                    BOOST_TEST(!r.read_frame(0s, e).valid());
                    BOOST_TEST((e == zerobuffer::errc::invalid_state));
                    continue;
                }
                // Stopped: the reader is open and in step; the next frame,
                // and the one after, arrive as if nothing happened.
                BOOST_TEST(r.is_open());
                w.write_frame(std::string("after the stop"));
                w.write_frame(std::string("and one more"));
                const zerobuffer::frame first = r.read_frame(5s);
                BOOST_TEST_REQUIRE(first.valid());
                BOOST_TEST(first.sequence() == 1U);
                const zerobuffer::frame second = r.read_frame(5s);
                BOOST_TEST_REQUIRE(second.valid());
                BOOST_TEST(second.sequence() == 2U);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(conformance_11_1_a_write_waiting_for_space_ends_with_operation_aborted)
{
    for (const auto& [strategy_name, strategy] : strategies()) {
        for (const interrupter how : {interrupter::close, interrupter::stop_token}) {
            BOOST_TEST_CONTEXT(strategy_name << ", " << name_of(how))
            {
                const std::string name = zerobuffer::test::unique_name("interrupt_write");
                zerobuffer::reader r(name, {.payload_size = 8 * 1024});
                zerobuffer::writer w(name, {.write_timeout = long_wait, .wait = strategy});
                const int frames = fill(w);
                BOOST_TEST_REQUIRE(frames > 0);
                const std::vector<std::byte> data(1000, std::byte{0x33});
                const auto [ec, latency] = interrupt(
                    how,
                    [&](std::stop_token stop) {
                        boost::system::error_code e;
                        w.write_frame(data, stop, e);
                        return e;
                    },
                    [&] { w.close(); });
                BOOST_TEST((ec == zerobuffer::operation_aborted_code()), ec.message());
                report("write", strategy_name, how, latency);
                // Nothing of the aborted frame was committed: the reader
                // reads exactly the frames that fitted, in order.
                BOOST_TEST(w.frames_written() == static_cast<std::uint64_t>(frames));
                for (int i = 1; i <= frames; ++i) {
                    const zerobuffer::frame f = r.read_frame(5s);
                    BOOST_TEST_REQUIRE(f.valid());
                    BOOST_TEST(f.sequence() == static_cast<std::uint64_t>(i));
                    BOOST_TEST(std::to_integer<int>(f.bytes()[0]) == 0x5a);
                }
                if (how == interrupter::close) {
                    BOOST_TEST(!w.is_open());
                    BOOST_CHECK_THROW(r.read_frame(5s), zerobuffer::writer_disconnected);
                    continue;
                }
                // Stopped: the writer is open and writes on where it was.
                BOOST_TEST(w.is_open());
                w.write_frame(data, std::stop_token{});
                const zerobuffer::frame next = r.read_frame(5s);
                BOOST_TEST_REQUIRE(next.valid());
                BOOST_TEST(next.sequence() == static_cast<std::uint64_t>(frames + 1));
                BOOST_TEST(std::to_integer<int>(next.bytes()[0]) == 0x33);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(conformance_11_1_close_wakes_every_sleeping_read)
{
    const std::string name = zerobuffer::test::unique_name("interrupt_readers");
    wait_strategy strategy = wait_strategy::blocking();
    strategy.liveness_interval = 20s;
    zerobuffer::reader r(name, {.payload_size = 64 * 1024, .wait = strategy});
    std::vector<std::future<boost::system::error_code>> reads;
    for (int i = 0; i < 3; ++i) {
        reads.push_back(std::async(std::launch::async, [&r] {
            boost::system::error_code ec;
            r.read_frame(long_wait, ec);
            return ec;
        }));
    }
    std::this_thread::sleep_for(100ms);
    r.close();
    for (auto& read : reads) {
        BOOST_TEST_REQUIRE((read.wait_for(bound) == std::future_status::ready));
        BOOST_TEST((read.get() == zerobuffer::operation_aborted_code()));
    }
}

BOOST_AUTO_TEST_CASE(conformance_11_1_a_stop_ends_only_its_own_read)
{
    // Two reads sleep; one is stopped. The other is woken too (a token per
    // sleeper), goes back to sleep, and still gets the next frame.
    const std::string name = zerobuffer::test::unique_name("interrupt_one");
    wait_strategy strategy = wait_strategy::blocking();
    strategy.liveness_interval = 20s;
    zerobuffer::reader r(name, {.payload_size = 64 * 1024, .wait = strategy});
    zerobuffer::writer w(name);
    std::stop_source source;
    auto stopped = std::async(std::launch::async, [&] {
        boost::system::error_code ec;
        r.read_frame(long_wait, source.get_token(), ec);
        return ec;
    });
    auto other = std::async(std::launch::async, [&] {
        boost::system::error_code ec;
        const zerobuffer::frame f = r.read_frame(long_wait, ec);
        return std::make_pair(ec, f.valid() ? f.sequence() : 0);
    });
    std::this_thread::sleep_for(100ms);
    source.request_stop();
    BOOST_TEST_REQUIRE((stopped.wait_for(bound) == std::future_status::ready));
    BOOST_TEST((stopped.get() == zerobuffer::operation_aborted_code()));
    std::this_thread::sleep_for(50ms);
    BOOST_TEST((other.wait_for(0s) == std::future_status::timeout)); // still waiting
    w.write_frame(std::string("for the other read"));
    BOOST_TEST_REQUIRE((other.wait_for(bound) == std::future_status::ready));
    const auto [ec, sequence] = other.get();
    BOOST_TEST(!ec);
    BOOST_TEST(sequence == 1U);
}

BOOST_AUTO_TEST_CASE(conformance_11_1_a_stop_requested_before_the_wait_ends_it_at_once)
{
    const std::string name = zerobuffer::test::unique_name("interrupt_early");
    zerobuffer::reader r(name, {.payload_size = 8 * 1024});
    zerobuffer::writer w(name, {.write_timeout = long_wait});
    std::stop_source source;
    source.request_stop();
    boost::system::error_code ec;
    BOOST_TEST(!r.read_frame(long_wait, source.get_token(), ec).valid());
    BOOST_TEST((ec == zerobuffer::operation_aborted_code()));
    // A frame that is there is still delivered (nothing waits for it).
    w.write_frame(std::string("ready"));
    const zerobuffer::frame f = r.read_frame(long_wait, source.get_token(), ec);
    BOOST_TEST(!ec);
    BOOST_TEST(f.valid());
    // A write that fits is written; one that must wait is not.
    fill(w);
    const std::vector<std::byte> data(1000, std::byte{1});
    BOOST_CHECK_THROW(w.write_frame(data, source.get_token()), zerobuffer::operation_aborted);
}
