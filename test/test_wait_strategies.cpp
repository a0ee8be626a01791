// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Wait strategies mixed on the two sides of a buffer, each side its own
// process, and the bound on the semaphore tokens a side that never waits
// leaves behind.

#define BOOST_TEST_MODULE wait_strategies
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "support/forked.hpp"
#include "support/naming.hpp"

#include <zerobuffer/reader.hpp>
#include <zerobuffer/resources.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/writer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <semaphore.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using zerobuffer::test::exit_code;
using zerobuffer::test::fork_child;

namespace zb = zerobuffer;
namespace bdata = boost::unit_test::data;
using patterns = zerobuffer::testing::test_data_patterns;
using namespace std::chrono_literals;

using zerobuffer::test::unique_name;

/// The strategies under test, by index (a dataset of ints prints well). A
/// sleeping side would also wake each liveness interval to look at its peer,
/// which would hide a lost wake-up: here it never does, so a lost wake-up
/// turns into a timed-out read or write and fails the test.
zb::wait_strategy strategy(int kind)
{
    zb::wait_strategy w;
    switch (kind) {
    case 0: w = zb::wait_strategy::blocking(); break;
    case 1: w = zb::wait_strategy::spin_then_block(20us); break;
    default: w = zb::wait_strategy::busy_poll(); break;
    }
    w.liveness_interval = 1h;
    return w;
}

/// How long one read or write may wait before a lost wake-up is assumed.
constexpr auto patience = 10s;

/// A writer that waits up to 30 s for the reader to create `name`.
zb::writer attach(const std::string& name, const zb::wait_strategy& wait)
{
    zb::writer_options o;
    o.connect_timeout = 30s;
    o.write_timeout = patience;
    o.wait = wait;
    return zb::writer(name, o);
}

zb::buffer_config ring_of(std::size_t payload, const zb::wait_strategy& wait)
{
    zb::buffer_config c;
    c.metadata_size = 64;
    c.payload_size = payload;
    c.wait = wait;
    return c;
}

/// The current count of the named semaphore `name` ("/sem-...").
int semaphore_value(const std::string& name)
{
    sem_t* s = ::sem_open(name.c_str(), 0);
    BOOST_REQUIRE_MESSAGE(s != SEM_FAILED, "sem_open " << name);
    int value = -1;
    ::sem_getvalue(s, &value);
    ::sem_close(s);
    return value;
}

constexpr int strategies[] = {0, 1, 2};
const std::size_t frame_sizes[] = {1, 100, 700, 1500, 64};

} // namespace

BOOST_AUTO_TEST_SUITE(wait_strategies)

// Every pairing of reader and writer strategy streams through a ring small
// enough that the writer waits for space, with pauses on both sides long
// enough that each side sleeps on its semaphore and must be woken by a peer
// that may be spinning: every frame arrives, in order and intact.
BOOST_DATA_TEST_CASE(mixed_strategies_stream_every_frame,
                     bdata::make(strategies) * bdata::make(strategies), reader_kind, writer_kind)
{
    const std::string name = unique_name("mixed_stream");
    constexpr std::uint64_t count = 1500;
    zb::reader r(name, ring_of(4096, strategy(reader_kind)));
    const pid_t child = fork_child([&] {
        zb::writer w = attach(name, strategy(writer_kind));
        for (std::uint64_t seq = 1; seq <= count; ++seq) {
            w.write_frame(patterns::frame_data(frame_sizes[seq % std::size(frame_sizes)], seq));
            if (seq % 500 == 0) {
                std::this_thread::sleep_for(5ms); // the reader runs dry and sleeps
            }
        }
        return 0;
    });
    std::uint64_t bad = 0;
    std::uint64_t seq = 0;
    while (seq < count) {
        boost::system::error_code ec;
        zb::frame f = r.read_frame(patience, ec);
        BOOST_REQUIRE_MESSAGE(!ec && f.valid(),
                              "no frame " << seq + 1 << " within 10 s: " << ec.message());
        ++seq;
        if (f.sequence() != seq || f.size() != frame_sizes[seq % std::size(frame_sizes)] ||
            !patterns::verify_frame(f.bytes(), seq)) {
            ++bad;
        }
        if (seq % 400 == 0) {
            std::this_thread::sleep_for(5ms); // the ring fills, the writer sleeps
        }
    }
    BOOST_TEST(seq == count);
    BOOST_TEST(bad == 0U);
    BOOST_TEST(exit_code(child) == 0);
}

// Every pairing answers round trips over two buffers, each side in its own
// process: a ping never waits for a peer that missed its wake-up.
BOOST_DATA_TEST_CASE(mixed_strategies_ping_pong, bdata::make(strategies) * bdata::make(strategies),
                     ping_kind, pong_kind)
{
    const std::string ping_name = unique_name("mixed_ping");
    const std::string pong_name = unique_name("mixed_pong");
    constexpr std::uint64_t rounds = 300;
    const pid_t child = fork_child([&] {
        zb::reader ping(ping_name, ring_of(4096, strategy(pong_kind)));
        zb::writer pong = attach(pong_name, strategy(pong_kind));
        for (std::uint64_t n = 0; n < rounds; ++n) {
            boost::system::error_code ec;
            zb::frame f = ping.read_frame(patience, ec);
            if (ec || !f.valid()) {
                return 1;
            }
            pong.write_frame(f.bytes());
        }
        return 0;
    });
    zb::reader pong(pong_name, ring_of(4096, strategy(ping_kind)));
    zb::writer ping = attach(ping_name, strategy(ping_kind));
    std::uint64_t bad = 0;
    for (std::uint64_t seq = 1; seq <= rounds; ++seq) {
        ping.write_frame(patterns::frame_data(64, seq));
        zb::frame f = pong.read_frame(patience);
        BOOST_REQUIRE_MESSAGE(f.valid(), "no echo of round " << seq << " within 10 s");
        if (f.sequence() != seq || !patterns::verify_frame(f.bytes(), seq)) {
            ++bad;
        }
        if (seq % 100 == 0) {
            std::this_thread::sleep_for(2ms); // both sides go to sleep
        }
    }
    ping.close();
    BOOST_TEST(bad == 0U);
    BOOST_TEST(exit_code(child) == 0);
}

// Every strategy waits its whole timeout, neither less (a deadline taken only
// at the first peer check must not shorten it) nor forever; and a read with
// no timeout returns at once.
BOOST_DATA_TEST_CASE(a_read_waits_its_timeout_whatever_the_strategy, bdata::make(strategies), kind)
{
    zb::buffer_config config{0, 4096};
    config.wait = strategy(kind);
    zb::reader r(unique_name("read_timeout"), config);
    const auto start = std::chrono::steady_clock::now();
    BOOST_TEST(!r.read_frame(30ms).valid());
    const auto waited = std::chrono::steady_clock::now() - start;
    BOOST_TEST((waited >= 30ms));
    BOOST_TEST((waited < patience));
    boost::system::error_code ec;
    BOOST_TEST(!r.try_read_frame(ec).valid());
    BOOST_TEST(!ec);
}

// A writer that never waits takes no sem-r token in the normal course, and a
// reader that always finds frames waiting takes no sem-w token: both drain
// them in bulk, so the counts stay bounded however long the stream (an
// unbounded count reaches SEM_VALUE_MAX, where sem_post fails).
BOOST_AUTO_TEST_CASE(tokens_stay_bounded_when_neither_side_waits)
{
    const std::string name = unique_name("token_bound");
    zb::reader r(name, ring_of(1 << 20, zb::wait_strategy::busy_poll()));
    zb::writer w = attach(name, zb::wait_strategy::busy_poll());
    const zb::resource_names names = zb::names_of(name);
    constexpr std::uint64_t count = 300'000; // several drain periods of both sides
    const std::vector<std::byte> data(8, std::byte{7});
    int max_w = 0;
    int max_r = 0;
    for (std::uint64_t i = 1; i <= count; ++i) {
        w.write_frame(data);
        // Two frames behind: the reader always finds one already there.
        if (i > 2) {
            zb::frame f = r.read_frame(1s);
            BOOST_REQUIRE(f.valid());
        }
        if (i % 10'000 == 0) {
            max_w = std::max(max_w, semaphore_value(names.write_semaphore));
            max_r = std::max(max_r, semaphore_value(names.read_semaphore));
        }
    }
    BOOST_TEST_MESSAGE("largest token counts seen: sem-w " << max_w << ", sem-r " << max_r);
    BOOST_TEST(max_w <= 1000);
    BOOST_TEST(max_r <= 70'000);
    BOOST_TEST(max_r > 0); // the reader does post a token per release
}

// Writer sessions that never wait each leave their last undrained batch of
// sem-r tokens behind; the next writer takes them when it attaches, so the
// count does not creep upward across sessions.
BOOST_AUTO_TEST_CASE(tokens_stay_bounded_across_writer_sessions)
{
    const std::string name = unique_name("token_sessions");
    zb::reader r(name, ring_of(1 << 20, zb::wait_strategy::busy_poll()));
    const zb::resource_names names = zb::names_of(name);
    const std::vector<std::byte> data(8, std::byte{7});
    int max_r = 0;
    for (int session = 0; session < 4; ++session) {
        zb::writer w = attach(name, zb::wait_strategy::busy_poll());
        // One short of a drain period: nothing of it is drained while it writes.
        for (std::uint64_t i = 1; i <= 65'535; ++i) {
            w.write_frame(data);
            zb::frame f = r.read_frame(1s);
            BOOST_REQUIRE(f.valid());
        }
        max_r = std::max(max_r, semaphore_value(names.read_semaphore));
        w.close();
        boost::system::error_code ec;
        BOOST_REQUIRE(!r.read_frame(1s, ec).valid());
        BOOST_REQUIRE(ec == zb::errc::writer_disconnected);
    }
    BOOST_TEST_MESSAGE("largest sem-r count seen: " << max_r);
    BOOST_TEST(max_r <= 70'000);
}

BOOST_AUTO_TEST_SUITE_END()
