// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// CONFORMANCE.md section 2 (process lifecycle), 4.7 (writer before reader) and
// 4.8 (readers racing) with real processes: peers are killed with SIGKILL and
// reaped at once (an unreaped zombie would still pass a kill(pid, 0) check).

#define BOOST_TEST_MODULE lifecycle
#include <boost/test/unit_test.hpp>

#include "support/child_process.hpp"
#include "support/frames.hpp"
#include "support/listing.hpp"
#include "support/naming.hpp"

#include <zerobuffer/reader.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/writer.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <string>
#include <vector>

namespace {

namespace zb = zerobuffer;
namespace ts = zerobuffer::test_support;
using patterns = zerobuffer::testing::test_data_patterns;
using namespace std::chrono_literals;

using zerobuffer::test::listed;
using zerobuffer::test::next_frame;
using zerobuffer::test::read_and_verify;
using zerobuffer::test::ring_of;
using zerobuffer::test::unique_name;

/// The error code of the next read, which must not deliver a frame.
boost::system::error_code next_event(zb::reader& r, std::chrono::seconds timeout = 30s)
{
    boost::system::error_code ec;
    const zb::frame f = r.read_frame(timeout, ec);
    BOOST_TEST(!f.valid(), "a frame (sequence " << f.sequence() << ") instead of an event");
    return ec;
}

/// The code a `zerobuffer::error` thrown by `f` carries (none: not thrown).
template <class F>
boost::system::error_code thrown_code(F&& f)
{
    try {
        f();
    } catch (const zb::error& e) {
        return e.code();
    }
    return {};
}

int exit_code_of(zb::errc e)
{
    return 10 + static_cast<int>(e); // the peer's convention
}

void expect_exit_code(ts::child_process& peer, int code)
{
    const ts::exit_status s = ts::expect_exit(peer);
    BOOST_TEST((s.exited && s.code == code), "expected exit code " << code << ", got "
                                                                   << s.describe() << ": "
                                                                   << peer.describe());
}

/// The files of buffer `name` that exist (PROTOCOL.md section 1).
std::vector<std::string> existing_resources(const std::string& name)
{
    std::vector<std::string> found;
    for (const std::string& path :
         {"/dev/shm/" + name, "/dev/shm/sem.sem-w-" + name, "/dev/shm/sem.sem-r-" + name,
          "/tmp/zerobuffer/" + name + ".lock"}) {
        struct stat st {};
        if (::lstat(path.c_str(), &st) == 0) {
            found.push_back(path);
        }
    }
    return found;
}

} // namespace

BOOST_AUTO_TEST_SUITE(lifecycle)

// CONFORMANCE 2.1: the writer process is killed; the reader first gets every
// frame it committed, then writer_dead, within a bounded time.
BOOST_AUTO_TEST_CASE(c2_1_writer_killed_reader_reports_writer_dead)
{
    const std::string name = unique_name("c2_1_killed");
    zb::reader r(name, ring_of(64 * 1024));
    auto peer =
        ts::start_peer({"write", name, "--count", "3", "--size", "100", "--hold-before-exit"});
    ts::expect_line(*peer, "holding");
    BOOST_TEST(r.is_writer_connected());
    BOOST_TEST(peer->kill().killed_by(SIGKILL));

    read_and_verify(r, 1, 3, {100}); // nothing committed is lost
    const auto ec = next_event(r);
    BOOST_TEST((ec == zb::errc::writer_dead), ec.message());
    BOOST_TEST(!r.is_writer_connected());
}

// CONFORMANCE 2.1 while the reader is blocked in read_frame: it does not
// return while the writer lives, and reports writer_dead once it is killed.
BOOST_AUTO_TEST_CASE(c2_1_writer_killed_while_reader_waits)
{
    const std::string name = unique_name("c2_1_waiting");
    zb::reader r(name, ring_of(64 * 1024));
    auto peer =
        ts::start_peer({"write", name, "--count", "1", "--size", "10", "--hold-before-exit"});
    ts::expect_line(*peer, "holding");
    read_and_verify(r, 1, 1, {10});

    auto waiting = std::async(std::launch::async, [&] {
        boost::system::error_code ec;
        const zb::frame f = r.read_frame(60s, ec);
        return std::make_pair(f.valid(), ec);
    });
    BOOST_TEST((waiting.wait_for(300ms) == std::future_status::timeout),
               "read_frame returned while the writer was alive and idle");
    peer->kill();
    BOOST_REQUIRE_MESSAGE(waiting.wait_for(30s) == std::future_status::ready,
                          "the reader did not notice the writer's death within 30 s");
    const auto [got_frame, ec] = waiting.get();
    BOOST_TEST(!got_frame);
    BOOST_TEST((ec == zb::errc::writer_dead), ec.message());
}

// CONFORMANCE 2.1 with both sides in peer processes: the reader process reports
// writer_dead after the frames, and exits with that error.
BOOST_AUTO_TEST_CASE(c2_1_reader_process_reports_writer_dead)
{
    const std::string name = unique_name("c2_1_processes");
    auto reader = ts::start_peer(
        {"read", name, "--until-error", "--verify", "--print-frames", "--timeout-ms", "60000"});
    ts::expect_line(*reader, "ready");
    auto writer =
        ts::start_peer({"write", name, "--count", "2", "--size", "64", "--hold-before-exit"});
    ts::expect_line(*writer, "holding");
    BOOST_TEST(ts::expect_line(*reader, "frame seq=2") == "frame seq=2 size=64 ok");
    writer->kill();
    BOOST_TEST(ts::expect_line(*reader, "error") == "error writer_dead frames=2");
    expect_exit_code(*reader, exit_code_of(zb::errc::writer_dead));
}

// CONFORMANCE 2.2: the reader process is killed while a writer process is
// blocked on a full buffer; the writer reports reader_dead.
BOOST_AUTO_TEST_CASE(c2_2_reader_killed_blocked_writer_process_reports_reader_dead)
{
    const std::string name = unique_name("c2_2_processes");
    auto reader = ts::start_peer({"hold-reader", name, "--payload-size", "4096"});
    ts::expect_line(*reader, "ready");
    auto writer = ts::start_peer(
        {"write-until-blocked", name, "--size", "1000", "--write-timeout-ms", "60000"});
    ts::expect_line(*writer, "wrote seq=4"); // the ring holds four frames
    const auto early = writer->read_line(300ms);
    BOOST_TEST(!early.has_value(), "the writer went on with a full ring: " << *early);

    reader->kill();
    BOOST_TEST(ts::expect_line(*writer, "error") == "error reader_dead seq=5 frames=4");
    expect_exit_code(*writer, exit_code_of(zb::errc::reader_dead));
}

// CONFORMANCE 2.2 with this process as the blocked writer.
BOOST_AUTO_TEST_CASE(c2_2_reader_killed_blocked_writer_reports_reader_dead)
{
    const std::string name = unique_name("c2_2_writer_here");
    auto reader = ts::start_peer({"hold-reader", name, "--payload-size", "4096"});
    ts::expect_line(*reader, "ready");
    zb::writer w(name, {.write_timeout = 60s});
    for (std::uint64_t seq = 1; seq <= 4; ++seq) {
        w.write_frame(patterns::frame_data(1000, seq));
    }
    BOOST_TEST(w.is_reader_connected());
    auto blocked = std::async(std::launch::async, [&] {
        boost::system::error_code ec;
        w.write_frame(patterns::frame_data(1000, 5), ec);
        return ec;
    });
    BOOST_TEST((blocked.wait_for(300ms) == std::future_status::timeout),
               "the write returned although the ring is full and the reader alive");
    reader->kill();
    BOOST_REQUIRE_MESSAGE(blocked.wait_for(30s) == std::future_status::ready,
                          "the writer did not notice the reader's death within 30 s");
    const auto ec = blocked.get();
    BOOST_TEST((ec == zb::errc::reader_dead), ec.message());
    BOOST_TEST(!w.is_reader_connected());
    // Later writes fail the same way instead of waiting.
    BOOST_CHECK_THROW(w.write_frame(patterns::frame_data(1000, 5)), zb::reader_dead);
}

// CONFORMANCE 2.1 with a dead writer that its parent has not reaped yet: the
// zombie's pid still exists, but the writer is gone and must be reported.
BOOST_AUTO_TEST_CASE(c2_1_unreaped_dead_writer_reported_dead)
{
    const std::string name = unique_name("c2_1_zombie");
    zb::reader r(name, ring_of(64 * 1024));
    auto peer =
        ts::start_peer({"write", name, "--count", "2", "--size", "80", "--hold-before-exit"});
    ts::expect_line(*peer, "holding");
    peer->send_signal(SIGKILL);
    BOOST_REQUIRE(peer->wait_for_zombie(30s));

    read_and_verify(r, 1, 2, {80});
    const auto ec = next_event(r);
    BOOST_TEST((ec == zb::errc::writer_dead), ec.message());
    BOOST_TEST(peer->running() == false); // reaped only now
}

// CONFORMANCE 2.2 with a dead reader that its parent has not reaped yet.
BOOST_AUTO_TEST_CASE(c2_2_unreaped_dead_reader_reported_dead)
{
    const std::string name = unique_name("c2_2_zombie");
    auto reader = ts::start_peer({"hold-reader", name, "--payload-size", "4096"});
    ts::expect_line(*reader, "ready");
    zb::writer w(name, {.write_timeout = 60s});
    for (std::uint64_t seq = 1; seq <= 4; ++seq) {
        w.write_frame(patterns::frame_data(1000, seq));
    }
    reader->send_signal(SIGKILL);
    BOOST_REQUIRE(reader->wait_for_zombie(30s));
    boost::system::error_code ec;
    w.write_frame(patterns::frame_data(1000, 5), ec);
    BOOST_TEST((ec == zb::errc::reader_dead), ec.message());
}

// CONFORMANCE 2.3: after a reader process crashes, a new reader creates the
// same name and a new writer process connects and writes to it.
BOOST_AUTO_TEST_CASE(c2_3_new_reader_and_writer_after_reader_crash)
{
    const std::string name = unique_name("c2_3_crash");
    auto old_reader = ts::start_peer({"hold-reader", name, "--payload-size", "8192"});
    ts::expect_line(*old_reader, "ready");
    BOOST_TEST(old_reader->kill().killed_by(SIGKILL));

    zb::reader r(name, ring_of(64 * 1024));
    BOOST_TEST(r.health().oieb.reader_pid == static_cast<std::uint64_t>(::getpid()));
    BOOST_TEST(r.payload_size() == 64u * 1024u, "a fresh segment, not the dead reader's");

    auto writer = ts::start_peer({"write", name, "--count", "10", "--size", "500"});
    ts::expect_line(*writer, "done frames=10");
    expect_exit_code(*writer, 0);
    read_and_verify(r, 1, 10, {500});
    const auto ec = next_event(r);
    BOOST_TEST((ec == zb::errc::writer_disconnected), ec.message());
}

// CONFORMANCE 2.3 with a writer still attached to the crashed reader's buffer:
// the new reader takes the name anyway, a new writer connects to the new
// buffer, and the old writer learns that its reader is dead.
BOOST_AUTO_TEST_CASE(c2_3_reader_crash_with_live_writer)
{
    const std::string name = unique_name("c2_3_live_writer");
    auto old_reader = ts::start_peer({"hold-reader", name, "--payload-size", "8192"});
    ts::expect_line(*old_reader, "ready");
    auto old_writer =
        ts::start_peer({"write", name, "--count", "1", "--size", "100", "--hold-before-exit"});
    ts::expect_line(*old_writer, "holding");
    old_reader->kill();

    zb::reader r(name, ring_of(64 * 1024));
    auto writer = ts::start_peer({"write", name, "--count", "3", "--size", "200"});
    ts::expect_line(*writer, "done frames=3");
    expect_exit_code(*writer, 0);
    read_and_verify(r, 1, 3, {200});

    // The old writer still maps the dead reader's (unlinked) segment. Writes
    // that find space succeed without a liveness check (hot path); once it
    // must wait for space it notices that the reader is gone.
    BOOST_REQUIRE(old_writer->send_line("write 1000"));
    BOOST_TEST(ts::expect_line(*old_writer, "error").starts_with("error reader_dead "));
    BOOST_TEST(ts::line_number(old_writer->transcript().back(), "frames") < 1000u);
}

// CONFORMANCE 2.4: a second writer is rejected while the first writer process
// lives, and accepted after it exits.
BOOST_AUTO_TEST_CASE(c2_4_second_writer_rejected_while_first_alive)
{
    const std::string name = unique_name("c2_4_graceful");
    zb::reader r(name, ring_of(64 * 1024));
    auto first =
        ts::start_peer({"write", name, "--count", "1", "--size", "50", "--hold-before-exit"});
    ts::expect_line(*first, "holding");

    auto ec = thrown_code([&] { zb::writer w(name); });
    BOOST_TEST((ec == zb::errc::writer_already_connected), ec.message());
    BOOST_CHECK_THROW(zb::writer{name}, zb::writer_already_connected);
    auto second = ts::start_peer({"write", name, "--count", "1"});
    BOOST_TEST(ts::expect_line(*second, "error") == "error writer_already_connected");
    expect_exit_code(*second, exit_code_of(zb::errc::writer_already_connected));
    // The rejected attempts did not disturb the first writer.
    read_and_verify(r, 1, 1, {50});

    first->close_stdin(); // the first writer exits, closing its writer
    expect_exit_code(*first, 0);
    ec = next_event(r);
    BOOST_TEST((ec == zb::errc::writer_disconnected), ec.message());

    zb::writer w(name);
    w.write_frame(patterns::frame_data(70, 1));
    read_and_verify(r, 1, 1, {70});
}

// CONFORMANCE 2.4 when the first writer process dies instead of exiting.
BOOST_AUTO_TEST_CASE(c2_4_writer_accepted_after_first_writer_killed)
{
    const std::string name = unique_name("c2_4_killed");
    zb::reader r(name, ring_of(64 * 1024));
    auto first = ts::start_peer({"write", name, "--count", "0", "--hold-before-exit"});
    ts::expect_line(*first, "holding");
    BOOST_CHECK_THROW(zb::writer{name}, zb::writer_already_connected);
    first->kill();

    auto second = ts::start_peer({"write", name, "--count", "2", "--size", "30"});
    ts::expect_line(*second, "done frames=2");
    expect_exit_code(*second, 0);
    read_and_verify(r, 1, 2, {30});
}

// CONFORMANCE 2.5: a writer process writes N frames and closes before the
// reader reads any; the reader drains all N, then gets writer_disconnected.
BOOST_AUTO_TEST_CASE(c2_5_writer_closes_reader_drains_then_disconnected)
{
    const std::string name = unique_name("c2_5_drain");
    zb::reader r(name, ring_of(1024 * 1024));
    auto peer = ts::start_peer({"write", name, "--count", "50", "--size", "100", "--close"});
    ts::expect_line(*peer, "closed");
    expect_exit_code(*peer, 0);
    BOOST_TEST(!r.is_writer_connected());

    read_and_verify(r, 1, 50, {100});
    const auto ec = next_event(r);
    BOOST_TEST((ec == zb::errc::writer_disconnected), ec.message());
    BOOST_TEST(r.frames_read() == 50u);
}

// CONFORMANCE 2.5 with a ring smaller than the data: the writer process closes
// while frames are still in flight; none is lost.
BOOST_AUTO_TEST_CASE(c2_5_writer_closes_with_frames_in_flight)
{
    const std::string name = unique_name("c2_5_in_flight");
    zb::reader r(name, ring_of(16 * 1024));
    constexpr std::uint64_t count = 500;
    auto peer = ts::start_peer({"write", name, "--count", std::to_string(count), "--size", "3000",
                                "--write-timeout-ms", "60000"});
    std::uint64_t frames = 0;
    boost::system::error_code ec;
    for (;;) {
        zb::frame f = r.read_frame(30s, ec);
        if (ec || !f) {
            break;
        }
        ++frames;
        if (f.sequence() != frames || !patterns::verify_frame(f.bytes(), f.sequence())) {
            BOOST_ERROR("frame " << frames << " has sequence " << f.sequence());
            break;
        }
    }
    BOOST_TEST((ec == zb::errc::writer_disconnected), ec.message());
    BOOST_TEST(frames == count);
    expect_exit_code(*peer, 0);
}

// CONFORMANCE 2.5 seen by a reader process: this process writes and closes.
BOOST_AUTO_TEST_CASE(c2_5_reader_process_sees_disconnect_after_all_frames)
{
    const std::string name = unique_name("c2_5_reader_process");
    auto peer = ts::start_peer({"read", name, "--until-error", "--verify"});
    ts::expect_line(*peer, "ready");
    {
        zb::writer w(name, {.write_timeout = 30s});
        for (std::uint64_t seq = 1; seq <= 100; ++seq) {
            w.write_frame(patterns::frame_data(2000, seq));
        }
        w.close();
    }
    BOOST_TEST(ts::expect_line(*peer, "error") == "error writer_disconnected frames=100");
    expect_exit_code(*peer, exit_code_of(zb::errc::writer_disconnected));
}

// CONFORMANCE 4.7: a writer started before any reader fails with no_reader at
// once (this process and a writer process).
BOOST_AUTO_TEST_CASE(c4_7_writer_before_reader_fails_with_no_reader)
{
    const std::string name = unique_name("c4_7_no_reader");
    const auto ec = thrown_code([&] { zb::writer w(name); });
    BOOST_TEST((ec == zb::errc::no_reader), ec.message());
    BOOST_CHECK_THROW(zb::writer{name}, zb::no_reader);

    auto peer = ts::start_peer({"write", name});
    BOOST_TEST(ts::expect_line(*peer, "error") == "error no_reader");
    expect_exit_code(*peer, exit_code_of(zb::errc::no_reader));
    BOOST_TEST(existing_resources(name).empty(),
               "a writer created" << listed(existing_resources(name)));
}

// CONFORMANCE 4.7 with writer_options::connect_timeout: the writer process
// waits for the reader, and connects once it appears.
BOOST_AUTO_TEST_CASE(c4_7_connect_timeout_waits_for_reader)
{
    const std::string name = unique_name("c4_7_waits");
    auto peer = ts::start_peer(
        {"write", name, "--count", "1", "--size", "123", "--connect-timeout-ms", "30000"});
    ts::expect_line(*peer, "connecting");
    const auto early = peer->read_line(300ms);
    BOOST_TEST(!early.has_value(), "the writer did not wait for the reader: " << *early);

    zb::reader r(name, ring_of(64 * 1024));
    ts::expect_line(*peer, "connected");
    ts::expect_line(*peer, "done frames=1");
    expect_exit_code(*peer, 0);
    read_and_verify(r, 1, 1, {123});
}

// CONFORMANCE 4.7: the bounded wait ends with no_reader when no reader comes.
BOOST_AUTO_TEST_CASE(c4_7_connect_timeout_expires_with_no_reader)
{
    const std::string name = unique_name("c4_7_expires");
    const auto start = std::chrono::steady_clock::now();
    const auto ec = thrown_code([&] { zb::writer w(name, {.connect_timeout = 300ms}); });
    const auto waited = std::chrono::steady_clock::now() - start;
    BOOST_TEST((ec == zb::errc::no_reader), ec.message());
    BOOST_TEST((waited >= 300ms), "gave up before the connect timeout");
}

// CONFORMANCE 4.8: two reader processes race to create the same name: exactly
// one wins, the other gets reader_already_exists, and nothing is left after
// both exit. Several rounds on the same name.
BOOST_AUTO_TEST_CASE(c4_8_two_reader_processes_race_exactly_one_wins)
{
    const std::string name = unique_name("c4_8_race");
    for (int round = 0; round < 5; ++round) {
        BOOST_TEST_CONTEXT("round " << round)
        {
            auto a = ts::start_peer({"hold-reader", name, "--wait-go"});
            auto b = ts::start_peer({"hold-reader", name, "--wait-go"});
            ts::expect_line(*a, "waiting");
            ts::expect_line(*b, "waiting");
            BOOST_REQUIRE(a->send_line("go"));
            BOOST_REQUIRE(b->send_line("go"));
            const auto line_a = a->read_line(ts::line_timeout);
            const auto line_b = b->read_line(ts::line_timeout);
            BOOST_REQUIRE_MESSAGE(line_a && line_b, a->describe() << "\n" << b->describe());
            const bool a_won = line_a->starts_with("ready");
            const bool b_won = line_b->starts_with("ready");
            BOOST_TEST((a_won != b_won), "exactly one must win:\n"
                                             << a->describe() << "\n"
                                             << b->describe());
            auto& winner = a_won ? *a : *b;
            auto& loser = a_won ? *b : *a;
            BOOST_TEST(loser.transcript().back() == "error reader_already_exists");
            expect_exit_code(loser, exit_code_of(zb::errc::reader_already_exists));
            BOOST_TEST(existing_resources(name).size() == 4u,
                       "the loser removed some of the winner's resources:"
                           << listed(existing_resources(name)));

            winner.close_stdin();
            expect_exit_code(winner, 0);
            BOOST_TEST(existing_resources(name).empty(),
                       "left behind:" << listed(existing_resources(name)));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
