// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The non-blocking tries of the reader and the writer: would-block is an
// answer (an invalid frame, false, an empty span), not an error, and never a
// wait; errors are those of the waiting calls.

#define BOOST_TEST_MODULE tries
#include <boost/test/unit_test.hpp>

#include "support/frames.hpp"
#include "support/naming.hpp"

#include <zerobuffer/reader.hpp>
#include <zerobuffer/writer.hpp>

#include <chrono>
#include <cstring>
#include <future>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

/// A reader and an attached writer on a small ring that waits up to 30 s
/// for space (a try must never wait for it).
struct small_ring {
    std::string name = zerobuffer::test::unique_name("tries");
    zerobuffer::reader reader{name, {.payload_size = 8 * 1024}};
    zerobuffer::writer writer{name, {.write_timeout = 30s}};
};

const std::vector<std::byte> kilobyte(1000, std::byte{0x42});

} // namespace

BOOST_AUTO_TEST_CASE(try_read_frame_returns_no_frame_when_none_is_ready_and_throws_writer_events)
{
    small_ring ring;
    BOOST_TEST(!ring.reader.try_read_frame().valid());
    ring.writer.write_frame(std::string("one"));
    const zerobuffer::frame f = ring.reader.try_read_frame();
    BOOST_TEST_REQUIRE(f.valid());
    BOOST_TEST(f.sequence() == 1U);
    BOOST_TEST(!ring.reader.try_read_frame().valid());
    ring.writer.close();
    BOOST_CHECK_THROW(ring.reader.try_read_frame(), zerobuffer::writer_disconnected);
    boost::system::error_code ec;
    BOOST_TEST(!ring.reader.try_read_frame(ec).valid());
    BOOST_TEST(!ec); // reported once; then no writer, no frame
}

BOOST_AUTO_TEST_CASE(try_write_frame_writes_until_the_ring_is_full_then_says_so_at_once)
{
    small_ring ring;
    const auto start = std::chrono::steady_clock::now();
    const int written = zerobuffer::test::fill_ring(ring.writer, kilobyte);
    // 8 KiB of 1016-byte entries: 8 of them fit. No wait for space (30 s).
    BOOST_TEST(written == 8);
    BOOST_TEST((std::chrono::steady_clock::now() - start < 20s));
    BOOST_TEST(ring.writer.frames_written() == 8U);
    boost::system::error_code ec;
    BOOST_TEST(!ring.writer.try_write_frame(kilobyte, ec));
    BOOST_TEST(!ec);
    // A release makes room for exactly one more.
    ring.reader.read_frame(1s).release();
    BOOST_TEST(ring.writer.try_write_frame(kilobyte));
    BOOST_TEST(!ring.writer.try_write_frame(kilobyte));
    for (std::uint64_t sequence = 2; sequence <= 9; ++sequence) {
        const zerobuffer::frame f = ring.reader.read_frame(1s);
        BOOST_TEST_REQUIRE(f.valid());
        BOOST_TEST(f.sequence() == sequence);
    }
}

BOOST_AUTO_TEST_CASE(try_write_frame_reports_errors_as_write_frame_does)
{
    small_ring ring;
    BOOST_CHECK_THROW(ring.writer.try_write_frame(std::span<const std::byte>{}),
                      zerobuffer::invalid_frame_size);
    const std::vector<std::byte> huge(9000, std::byte{1});
    BOOST_CHECK_THROW(ring.writer.try_write_frame(huge), zerobuffer::frame_too_large);
    ring.writer.close();
    BOOST_CHECK_THROW(ring.writer.try_write_frame(kilobyte), zerobuffer::invalid_state);
}

BOOST_AUTO_TEST_CASE(try_get_frame_buffer_reserves_when_there_is_room_and_is_empty_when_not)
{
    small_ring ring;
    int reserved = 0;
    for (;;) {
        const std::span<std::byte> area = ring.writer.try_get_frame_buffer(kilobyte.size());
        if (area.empty()) {
            break;
        }
        BOOST_TEST(area.size() == kilobyte.size());
        std::memcpy(area.data(), kilobyte.data(), area.size());
        ring.writer.commit_frame();
        ++reserved;
    }
    BOOST_TEST(reserved == 8);
    // Nothing reserved: a commit now is an error, as after get_frame_buffer's failure.
    BOOST_CHECK_THROW(ring.writer.commit_frame(), zerobuffer::invalid_state);
    for (int i = 1; i <= reserved; ++i) {
        const zerobuffer::frame f = ring.reader.read_frame(1s);
        BOOST_TEST_REQUIRE(f.valid());
        BOOST_TEST(f.sequence() == static_cast<std::uint64_t>(i));
        BOOST_TEST(std::memcmp(f.data(), kilobyte.data(), f.size()) == 0);
    }
    // A reservation pending: another try is an error, not a would-block.
    BOOST_TEST(!ring.writer.try_get_frame_buffer(10).empty());
    BOOST_CHECK_THROW(ring.writer.try_get_frame_buffer(10), zerobuffer::invalid_state);
    ring.writer.commit_frame();
}

BOOST_AUTO_TEST_CASE(writes_waiting_side_by_side_each_get_room_and_a_try_does_not_wait)
{
    small_ring ring;
    zerobuffer::test::fill_ring(ring.writer, kilobyte);
    auto first = std::async(std::launch::async, [&] { ring.writer.write_frame(kilobyte); });
    auto second = std::async(std::launch::async, [&] { ring.writer.write_frame(kilobyte); });
    std::this_thread::sleep_for(50ms);
    BOOST_TEST(!ring.writer.try_write_frame(kilobyte)); // no room, and no wait for it
    BOOST_TEST(ring.writer.try_get_frame_buffer(kilobyte.size()).empty());
    ring.reader.read_frame(1s).release(); // room for one waiting write
    ring.reader.read_frame(1s).release(); // and for the other
    BOOST_TEST_REQUIRE((first.wait_for(10s) == std::future_status::ready));
    BOOST_TEST_REQUIRE((second.wait_for(10s) == std::future_status::ready));
    first.get();
    second.get();
    BOOST_TEST(ring.writer.frames_written() == 10U);
    for (std::uint64_t sequence = 3; sequence <= 10; ++sequence) {
        const zerobuffer::frame f = ring.reader.read_frame(1s);
        BOOST_TEST_REQUIRE(f.valid());
        BOOST_TEST(f.sequence() == sequence);
    }
}

BOOST_AUTO_TEST_CASE(one_release_that_makes_room_for_two_waiting_writes_wakes_both)
{
    // Sleeping writes with 20 s liveness slices: only a token can end their
    // sleeps in time. One release frees room for both; its one token wakes
    // one of them, which hands a token on to the other.
    const std::string name = zerobuffer::test::unique_name("tries_two");
    zerobuffer::wait_strategy sleeping = zerobuffer::wait_strategy::blocking();
    sleeping.liveness_interval = 20s;
    zerobuffer::reader reader(name, {.payload_size = 8 * 1024});
    zerobuffer::writer writer(name, {.write_timeout = 60s, .wait = sleeping});
    zerobuffer::test::fill_ring(writer, kilobyte);
    const std::vector<std::byte> small(400, std::byte{1});
    const std::vector<std::byte> medium(500, std::byte{2});
    auto first = std::async(std::launch::async, [&] { writer.write_frame(small); });
    auto second = std::async(std::launch::async, [&] { writer.write_frame(medium); });
    std::this_thread::sleep_for(100ms);
    reader.read_frame(1s).release(); // 1016 bytes back: room for 416 + 516
    BOOST_TEST_REQUIRE((first.wait_for(5s) == std::future_status::ready));
    BOOST_TEST_REQUIRE((second.wait_for(5s) == std::future_status::ready));
    first.get();
    second.get();
    BOOST_TEST(writer.frames_written() == 10U);
}

BOOST_AUTO_TEST_CASE(a_wait_that_fails_leaves_another_threads_reservation_counted)
{
    small_ring ring;
    zerobuffer::test::fill_ring(ring.writer, kilobyte);
    boost::system::error_code waited;
    auto waiting =
        std::async(std::launch::async, [&] { ring.writer.get_frame_buffer(1000, waited); });
    std::this_thread::sleep_for(50ms);
    // 64 bytes are left at the end: room for a small zero-copy frame now.
    const std::span<std::byte> area = ring.writer.try_get_frame_buffer(16);
    BOOST_TEST_REQUIRE(area.size() == 16U);
    const std::uint64_t bytes_before = ring.writer.bytes_written();
    ring.reader.read_frame(1s).release(); // wakes the waiting reservation
    BOOST_TEST_REQUIRE((waiting.wait_for(10s) == std::future_status::ready));
    waiting.get();
    BOOST_TEST((waited == zerobuffer::errc::invalid_state)); // ours came first
    ring.writer.commit_frame();
    BOOST_TEST(ring.writer.bytes_written() == bytes_before + 16U);
}
