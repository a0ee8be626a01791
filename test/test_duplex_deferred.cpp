// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer/duplex/pending_request.hpp: handlers that answer later, from
// another thread or a coroutine after awaiting other I/O, still in request
// order, one response per request. CONFORMANCE 9.2, 9.8, 9.12.

#define BOOST_TEST_MODULE duplex_deferred
#include <boost/test/unit_test.hpp>

#include "support/duplex.hpp"
#include "support/naming.hpp"

#include <zerobuffer/duplex.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace duplex = zerobuffer::duplex;
using zerobuffer::errc;
using zerobuffer::test::pattern;
using zerobuffer::test::small_client;
using zerobuffer::test::small_server;
using zerobuffer::test::unique_name;
using zerobuffer::testing::test_data_patterns;

namespace {

/// Pending requests handed to a thread of its own, answered in batches of
/// `batch`, last first: every response but the batch's first comes before
/// its turn.
class reverse_answerer {
public:
    explicit reverse_answerer(std::size_t batch) : batch_(batch), thread_([this] { run(); }) {}
    ~reverse_answerer()
    {
        {
            const std::lock_guard lock(mutex_);
            done_ = true;
        }
        changed_.notify_all();
        thread_.join();
    }
    void take(duplex::pending_request p)
    {
        {
            const std::lock_guard lock(mutex_);
            pending_.push_back(std::move(p));
        }
        changed_.notify_all();
    }

private:
    void run()
    {
        std::unique_lock lock(mutex_);
        for (;;) {
            changed_.wait(lock, [&] { return done_ || pending_.size() >= batch_; });
            if (pending_.size() < batch_) {
                return; // the rest are answered by their destructors
            }
            std::vector<duplex::pending_request> batch;
            for (std::size_t i = 0; i < batch_; ++i) {
                batch.push_back(std::move(pending_.front()));
                pending_.pop_front();
            }
            lock.unlock();
            for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
                it->respond(it->bytes());
            }
            lock.lock();
        }
    }

    std::size_t batch_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<duplex::pending_request> pending_;
    bool done_ = false;
    std::thread thread_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(duplex_deferred)

BOOST_AUTO_TEST_CASE(c9_2_answers_from_another_thread_in_reverse_come_in_request_order)
{
    const auto name = unique_name("dxd_reverse");
    reverse_answerer answerer(4);
    duplex::server s(name, small_server());
    s.start([&](duplex::pending_request p) { answerer.take(std::move(p)); });
    duplex::client c(name, small_client());
    constexpr std::uint64_t count = 200;
    for (std::uint64_t i = 1; i <= count; ++i) {
        c.send_request(pattern(100 + i, i));
    }
    int good = 0;
    for (std::uint64_t i = 1; i <= count; ++i) {
        auto f = c.receive_response(5s);
        BOOST_TEST_REQUIRE(f.valid());
        good += f.sequence() == i && f.size() == 100 + i &&
                test_data_patterns::verify_frame(f.bytes(), i);
    }
    BOOST_TEST(good == static_cast<int>(count));
    s.stop();
    BOOST_TEST(s.counters().requests_handled == count);
}

BOOST_AUTO_TEST_CASE(c9_12_a_coroutine_answers_after_awaiting_a_timer)
{
    const auto name = unique_name("dxd_coro");
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    std::thread runner([&] { io.run(); });
    {
        duplex::server s(name, small_server());
        s.start(
            [&io](duplex::pending_request p) {
                asio::co_spawn(
                    io,
                    [p = std::move(p)]() mutable -> asio::awaitable<void> {
                        // Later requests wait less: they finish first.
                        asio::steady_timer timer(
                            co_await asio::this_coro::executor,
                            std::chrono::microseconds(2000 - (p.sequence() % 10) * 200));
                        co_await timer.async_wait(asio::use_awaitable);
                        p.respond(p.bytes());
                    },
                    asio::detached);
            },
            duplex::processing::on(io.get_executor(), 10));
        duplex::client c(name, small_client());
        constexpr std::uint64_t count = 100;
        for (std::uint64_t i = 1; i <= count; ++i) {
            c.send_request(pattern(64, i));
        }
        int good = 0;
        for (std::uint64_t i = 1; i <= count; ++i) {
            auto f = c.receive_response(5s);
            BOOST_TEST_REQUIRE(f.valid());
            good += f.sequence() == i && test_data_patterns::verify_frame(f.bytes(), i);
        }
        BOOST_TEST(good == static_cast<int>(count));
        s.stop();
    }
    work.reset();
    runner.join();
}

BOOST_AUTO_TEST_CASE(c9_8_failed_dropped_and_thrown_requests_get_error_responses)
{
    const auto name = unique_name("dxd_fail");
    duplex::server s(name, small_server());
    std::atomic<int> twice_refused{0};
    s.start([&](duplex::pending_request p) {
        switch (p.sequence() % 4) {
        case 1:
            p.fail("not today");
            try {
                p.respond(p.bytes());
            } catch (const zerobuffer::invalid_state&) {
                twice_refused.fetch_add(1);
            }
            return;
        case 2: return; // dropped: its destructor answers
        case 3: throw std::runtime_error("thrown before it was taken");
        default: p.respond(p.bytes());
        }
    });
    duplex::client c(name, small_client());
    int as_expected = 0;
    for (std::uint64_t i = 1; i <= 40; ++i) {
        boost::system::error_code ec;
        auto f = c.request(pattern(32, i), 5s, ec);
        BOOST_TEST_REQUIRE(f.valid());
        BOOST_TEST_REQUIRE(f.sequence() == i);
        const auto text = duplex::error_response_text(f);
        switch (i % 4) {
        case 1: as_expected += ec == errc::handler_failed && text == "not today"; break;
        case 2:
        case 3:
            as_expected += ec == errc::handler_failed && text.find("dropped") != text.npos;
            break;
        default: as_expected += !ec && test_data_patterns::verify_frame(f.bytes(), i);
        }
    }
    BOOST_TEST(as_expected == 40);
    BOOST_TEST(twice_refused.load() == 10);
    s.stop();
    BOOST_TEST(s.counters().handler_errors == 30u);
    BOOST_TEST(s.counters().requests_handled == 10u);
}

BOOST_AUTO_TEST_CASE(stop_waits_for_the_pending_requests_and_at_most_16_are_pending)
{
    const auto name = unique_name("dxd_stop");
    std::mutex m;
    std::vector<duplex::pending_request> held;
    duplex::server s(name, small_server());
    s.start([&](duplex::pending_request p) {
        const std::lock_guard lock(m);
        held.push_back(std::move(p));
    });
    duplex::client c(name, small_client());
    for (std::uint64_t i = 1; i <= 20; ++i) {
        c.send_request(pattern(16, i));
    }
    BOOST_TEST(zerobuffer::test::eventually([&] {
        const std::lock_guard lock(m);
        return held.size() == 16u;
    }));
    std::this_thread::sleep_for(50ms);
    {
        const std::lock_guard lock(m);
        BOOST_TEST(held.size() == 16u); // the bound: the rest wait in the request ring
    }
    std::atomic<bool> stopped{false};
    std::thread stopper([&] {
        s.stop();
        stopped.store(true);
    });
    std::this_thread::sleep_for(100ms);
    BOOST_TEST(!stopped.load()); // it waits for the pending ones
    // Answer all, and whatever the receiving thread still took (it may have
    // read the 17th while it waited for room), until the stop is through.
    std::uint64_t answered = 0;
    while (!stopped.load()) {
        {
            const std::lock_guard lock(m);
            for (auto& p : held) {
                p.respond(p.bytes());
                ++answered;
            }
            held.clear();
        }
        std::this_thread::sleep_for(1ms);
    }
    stopper.join();
    BOOST_TEST(answered >= 16u);
    BOOST_TEST(answered <= 17u);
    for (std::uint64_t i = 1; i <= answered; ++i) {
        auto f = c.receive_response(5s);
        BOOST_TEST_REQUIRE(f.valid());
        BOOST_TEST(f.sequence() == i);
    }
}

BOOST_AUTO_TEST_SUITE_END()
