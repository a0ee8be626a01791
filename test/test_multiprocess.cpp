// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// CONFORMANCE.md section 1 (basic communication) between two real processes:
// this test process on one side, zerobuffer_test_peer on the other.

#define BOOST_TEST_MODULE multiprocess
#include <boost/test/unit_test.hpp>

#include "support/child_process.hpp"
#include "support/frames.hpp"
#include "support/naming.hpp"

#include <zerobuffer/reader.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/writer.hpp>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace zb = zerobuffer;
namespace ts = zerobuffer::test_support;
using patterns = zerobuffer::testing::test_data_patterns;
using namespace std::chrono_literals;

using zerobuffer::test::next_frame;
using zerobuffer::test::read_and_verify;
using zerobuffer::test::ring_of;
using zerobuffer::test::unique_name;

std::string join(const std::vector<std::size_t>& sizes)
{
    std::string s;
    for (const std::size_t n : sizes) {
        s += (s.empty() ? "" : ",") + std::to_string(n);
    }
    return s;
}

/// The data bytes of frames 1..count when sizes cycle through `sizes`.
std::uint64_t total_bytes(const std::vector<std::size_t>& sizes, std::uint64_t count)
{
    std::uint64_t total = 0;
    for (std::uint64_t seq = 1; seq <= count; ++seq) {
        total += sizes[(seq - 1) % sizes.size()];
    }
    return total;
}

void expect_success(ts::child_process& peer)
{
    const ts::exit_status s = ts::expect_exit(peer);
    BOOST_TEST(s.success(), "peer ended with " << s.describe() << ": " << peer.describe());
}

} // namespace

BOOST_AUTO_TEST_SUITE(multiprocess)

// CONFORMANCE 1.1: a writer process writes metadata and one frame; this
// process reads the same bytes, sequence 1, and the metadata without prefix.
BOOST_AUTO_TEST_CASE(c1_1_metadata_and_one_frame_from_writer_process)
{
    const std::string name = unique_name("c1_1_from_writer");
    zb::reader r(name, ring_of(64 * 1024));
    BOOST_TEST(r.metadata().empty(), "no metadata before the writer stores it");

    auto peer =
        ts::start_peer({"write", name, "--count", "1", "--size", "1000", "--metadata-size", "100"});
    ts::expect_line(*peer, "metadata written size=100");
    ts::expect_line(*peer, "done frames=1");
    expect_success(*peer);

    const auto metadata = r.metadata();
    const auto expected_metadata = patterns::metadata(100);
    BOOST_TEST(metadata.size() == 100u);
    BOOST_TEST(std::vector<std::byte>(metadata.begin(), metadata.end()) == expected_metadata);

    zb::frame f = next_frame(r);
    BOOST_TEST(f.sequence() == 1u);
    BOOST_TEST(f.size() == 1000u);
    const auto expected = patterns::frame_data(1000, 1);
    BOOST_TEST(std::vector<std::byte>(f.bytes().begin(), f.bytes().end()) == expected);
}

// CONFORMANCE 1.1, the other way round: this process writes, a reader process checks.
BOOST_AUTO_TEST_CASE(c1_1_metadata_and_one_frame_to_reader_process)
{
    const std::string name = unique_name("c1_1_to_reader");
    auto peer = ts::start_peer({"read", name, "--count", "1", "--verify", "--print-frames",
                                "--expect-metadata", "100", "--payload-size", "65536"});
    ts::expect_line(*peer, "ready");

    zb::writer w(name);
    w.set_metadata(patterns::metadata(100));
    w.write_frame(patterns::frame_data(1000, 1));

    BOOST_TEST(ts::expect_line(*peer, "metadata") == "metadata size=100 ok");
    BOOST_TEST(ts::expect_line(*peer, "frame") == "frame seq=1 size=1000 ok");
    BOOST_TEST(ts::expect_line(*peer, "done") == "done frames=1 bad=0");
    expect_success(*peer);
}

// CONFORMANCE 1.2: many frames in order, sequences 1..N, pattern verified.
BOOST_AUTO_TEST_CASE(c1_2_many_frames_in_order_from_writer_process)
{
    const std::string name = unique_name("c1_2_from_writer");
    zb::reader r(name, ring_of(256 * 1024));
    const std::vector<std::size_t> sizes{1, 100, 1000, 4096, 17};
    constexpr std::uint64_t count = 2000;
    auto peer = ts::start_peer({"write", name, "--count", std::to_string(count), "--sizes",
                                join(sizes), "--write-timeout-ms", "30000"});
    read_and_verify(r, 1, count, sizes);
    BOOST_TEST(ts::line_number(ts::expect_line(*peer, "done"), "frames") == count);
    expect_success(*peer);
    BOOST_TEST(r.frames_read() == count);
}

// CONFORMANCE 1.2 with a zero-copy writer process (get_frame_buffer + commit_frame).
BOOST_AUTO_TEST_CASE(c1_2_many_frames_in_order_from_zero_copy_writer_process)
{
    const std::string name = unique_name("c1_2_zero_copy");
    zb::reader r(name, ring_of(64 * 1024));
    const std::vector<std::size_t> sizes{3000, 5, 64, 700};
    constexpr std::uint64_t count = 1000;
    auto peer = ts::start_peer({"write", name, "--count", std::to_string(count), "--sizes",
                                join(sizes), "--zero-copy", "--write-timeout-ms", "30000"});
    read_and_verify(r, 1, count, sizes);
    ts::expect_line(*peer, "done");
    expect_success(*peer);
}

// CONFORMANCE 1.2, the other way round: a reader process verifies every frame.
BOOST_AUTO_TEST_CASE(c1_2_many_frames_in_order_to_reader_process)
{
    const std::string name = unique_name("c1_2_to_reader");
    constexpr std::uint64_t count = 2000;
    auto peer = ts::start_peer(
        {"read", name, "--count", std::to_string(count), "--verify", "--payload-size", "131072"});
    ts::expect_line(*peer, "ready");

    zb::writer w(name, {.write_timeout = 30s});
    const std::vector<std::size_t> sizes{7, 1500, 64, 9000, 333};
    for (std::uint64_t seq = 1; seq <= count; ++seq) {
        w.write_frame(patterns::frame_data(sizes[(seq - 1) % sizes.size()], seq));
    }
    BOOST_TEST(ts::expect_line(*peer, "done") == "done frames=" + std::to_string(count) + " bad=0");
    expect_success(*peer);
}

// CONFORMANCE 1.3: a reader process holds every frame; this writer's next
// write blocks, fails with buffer_full after its write timeout, and a blocked
// write completes once the reader releases.
BOOST_AUTO_TEST_CASE(c1_3_buffer_full_blocks_then_times_out)
{
    const std::string name = unique_name("c1_3_full");
    // 4096-byte ring: four frames of 16 + 1000 bytes fit, a fifth does not.
    auto peer = ts::start_peer(
        {"read", name, "--count", "4", "--no-release", "--verify", "--payload-size", "4096"});
    ts::expect_line(*peer, "ready");

    zb::writer w(name, {.write_timeout = 300ms});
    for (std::uint64_t seq = 1; seq <= 4; ++seq) {
        w.write_frame(patterns::frame_data(1000, seq));
    }
    BOOST_TEST(ts::expect_line(*peer, "done") == "done frames=4 bad=0");
    ts::expect_line(*peer, "holding frames=4");

    // The exception form, bounded below by the write timeout.
    const auto start = std::chrono::steady_clock::now();
    BOOST_CHECK_THROW(w.write_frame(patterns::frame_data(1000, 5)), zb::buffer_full);
    BOOST_TEST((std::chrono::steady_clock::now() - start >= 300ms),
               "buffer_full came before the write timeout passed");
    // The error_code form reports the same code.
    boost::system::error_code ec;
    w.write_frame(patterns::frame_data(1000, 5), ec);
    BOOST_TEST((ec == zb::errc::buffer_full), ec.message());

    // A write that blocks now completes once the reader releases.
    w.set_write_timeout(30s);
    auto blocked = std::async(std::launch::async, [&] {
        boost::system::error_code e;
        w.write_frame(patterns::frame_data(1000, 5), e);
        return e;
    });
    BOOST_TEST((blocked.wait_for(300ms) == std::future_status::timeout),
               "the write completed although the reader holds every frame");
    BOOST_REQUIRE(peer->send_line("release"));
    ts::expect_line(*peer, "released frames=4");
    BOOST_REQUIRE_MESSAGE(blocked.wait_for(30s) == std::future_status::ready,
                          "the blocked write did not complete after the release");
    const auto write_ec = blocked.get();
    BOOST_TEST(!write_ec, write_ec.message());

    // The frame that waited is the next one the reader gets, intact.
    BOOST_REQUIRE(peer->send_line("read 1"));
    BOOST_TEST(ts::expect_line(*peer, "done") == "done frames=5 bad=0");
    peer->close_stdin();
    expect_success(*peer);
}

// CONFORMANCE 1.3 with the writer in the other process: its write times out
// with buffer_full while this reader holds the frames, and a retried write
// blocks until this reader releases them, then completes.
BOOST_AUTO_TEST_CASE(c1_3_blocked_writer_process_completes_after_release)
{
    const std::string name = unique_name("c1_3_release");
    zb::reader r(name, ring_of(4096));
    auto peer = ts::start_peer({"write", name, "--count", "6", "--size", "1000",
                                "--write-timeout-ms", "300", "--retry-on-full", "--print-frames"});
    ts::expect_line(*peer, "wrote seq=4");
    const std::string full = ts::expect_line(*peer, "error");
    BOOST_TEST(full == "error buffer_full seq=5 frames=4");
    ts::expect_line(*peer, "holding");

    std::vector<zb::frame> held;
    for (std::uint64_t seq = 1; seq <= 4; ++seq) {
        held.push_back(next_frame(r));
        BOOST_TEST(held.back().sequence() == seq);
        BOOST_TEST(patterns::verify_frame(held.back().bytes(), seq));
    }

    BOOST_REQUIRE(peer->send_line("retry 30000"));
    ts::expect_line(*peer, "retrying seq=5");
    // Frames read but not released give no space back: the writer stays blocked.
    const auto early = peer->read_line(300ms);
    BOOST_TEST(!early.has_value(), "writer went on while every frame was held: " << *early);

    held.clear(); // releases all four
    ts::expect_line(*peer, "wrote seq=5");
    ts::expect_line(*peer, "wrote seq=6");
    BOOST_TEST(ts::expect_line(*peer, "done") == "done frames=6 bytes=6000");
    expect_success(*peer);
    read_and_verify(r, 5, 2, {1000});
}

// CONFORMANCE 1.6: a slow reader and a fast writer process over tens of
// thousands of frames and many wrap-arounds: nothing lost or reordered.
BOOST_AUTO_TEST_CASE(c1_6_slow_reader_fast_writer_process_many_wraps)
{
    const std::string name = unique_name("c1_6_slow_reader");
    constexpr std::size_t ring = 16 * 1024;
    zb::reader r(name, ring_of(ring));
    const std::vector<std::size_t> sizes{1, 37, 200, 1000, 3000, 64, 511, 4000};
    constexpr std::uint64_t count = 30000;
    auto peer = ts::start_peer({"write", name, "--count", std::to_string(count), "--sizes",
                                join(sizes), "--write-timeout-ms", "60000"});

    std::uint64_t bad = 0;
    for (std::uint64_t seq = 1; seq <= count && bad <= 5; ++seq) {
        zb::frame f = next_frame(r);
        const std::size_t expected_size = sizes[(seq - 1) % sizes.size()];
        if (f.sequence() != seq || f.size() != expected_size ||
            !patterns::verify_frame(f.bytes(), seq)) {
            ++bad;
            BOOST_ERROR("frame " << seq << ": sequence " << f.sequence() << ", size " << f.size());
        }
        if (seq % 1000 == 0) {
            // Slow down now and then, so the writer finds the ring full.
            std::this_thread::sleep_for(2ms);
        }
    }
    BOOST_TEST(ts::expect_line(*peer, "done") ==
               "done frames=" + std::to_string(count) +
                   " bytes=" + std::to_string(total_bytes(sizes, count)));
    expect_success(*peer);

    // The ring wrapped many times: wrap markers are counted as written entries.
    const auto h = r.health();
    BOOST_TEST(h.oieb.payload_written_count > count + 100);
    BOOST_TEST(h.oieb.payload_read_count == h.oieb.payload_written_count);
    BOOST_TEST(h.oieb.payload_free_bytes == ring, "every released byte came back");
    // The writer closed: after the last frame the reader reports the disconnect.
    boost::system::error_code ec;
    const zb::frame after = r.read_frame(30s, ec);
    BOOST_TEST(!after.valid());
    BOOST_TEST((ec == zb::errc::writer_disconnected), ec.message());
}

// CONFORMANCE 1.6 the other way round: a reader process that pauses now and
// then, this process writing as fast as it can.
BOOST_AUTO_TEST_CASE(c1_6_fast_writer_slow_reader_process_many_wraps)
{
    const std::string name = unique_name("c1_6_slow_reader_process");
    constexpr std::uint64_t count = 30000;
    auto peer = ts::start_peer({"read", name, "--count", std::to_string(count), "--verify",
                                "--payload-size", "16384", "--delay-us", "2000", "--delay-every",
                                "1000", "--timeout-ms", "30000"});
    ts::expect_line(*peer, "ready");

    zb::writer w(name, {.write_timeout = 60s});
    const std::vector<std::size_t> sizes{4000, 1, 999, 64, 2500, 48, 7};
    for (std::uint64_t seq = 1; seq <= count; ++seq) {
        w.write_frame(patterns::frame_data(sizes[(seq - 1) % sizes.size()], seq));
    }
    BOOST_TEST(ts::expect_line(*peer, "done") == "done frames=" + std::to_string(count) + " bad=0");
    expect_success(*peer);
    BOOST_TEST(w.frames_written() == count);
}

BOOST_AUTO_TEST_SUITE_END()
