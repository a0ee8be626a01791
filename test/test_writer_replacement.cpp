// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// A writer replacing one that was SIGKILLed inside its commit: the dead writer
// gave up the frame's free bytes (the commit point) but never stored its write
// position and written count. The reader repairs both once it has read
// everything, under a "repair in progress" mark (its own pid) in writer_pid;
// a replacement writer waits for that instead of building on the stale
// position, and repairs itself only when it provably may (PROTOCOL.md 5, 6).

#define BOOST_TEST_MODULE writer_replacement
#include <boost/test/unit_test.hpp>

#include "support/child_process.hpp"
#include "support/raw_segment.hpp"

#include <zerobuffer/protocol/ring_engine.hpp>
#include <zerobuffer/reader.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/writer.hpp>

#include <fcntl.h>
#include <semaphore.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

namespace {

namespace zb = zerobuffer;
namespace zp = zerobuffer::protocol;
namespace ts = zerobuffer::test_support;
using zerobuffer::test::raw_segment;
using zerobuffer::test::unique_name;
using field = zp::oieb_field;
using patterns = zerobuffer::testing::test_data_patterns;
using namespace std::chrono_literals;

constexpr auto acquire = std::memory_order_acquire;
constexpr auto release = std::memory_order_release;
constexpr std::uint64_t ring_size = 64 * 1024;
constexpr std::size_t dead_size = 100; // the dead writer's frames
constexpr std::size_t new_size = 200;  // the replacement's frames

zb::buffer_config config()
{
    zb::buffer_config c;
    c.payload_size = ring_size;
    c.wait = zb::wait_strategy::blocking();
    c.wait.liveness_interval = 10ms; // the reader notices the death soon
    return c;
}

/// A pid no process has: a child that exited and was reaped (a zombie would
/// still pass kill(pid, 0)).
std::uint64_t dead_pid()
{
    const pid_t child = ::fork();
    if (child == 0) {
        ::_exit(0);
    }
    BOOST_TEST_REQUIRE(child > 0);
    int status = 0;
    BOOST_TEST_REQUIRE(::waitpid(child, &status, 0) == child);
    return static_cast<std::uint64_t>(child);
}

/// Leaves buffer `name` as a writer SIGKILLed inside the commit of the last of
/// its `frames` frames leaves it: every frame written and its free bytes
/// taken, but the write position and the written count not advanced past the
/// last one, that frame's sem-w token not posted, and its (dead) pid set.
/// Returns the dead pid.
std::uint64_t kill_inside_last_commit(const std::string& name, std::uint64_t frames)
{
    {
        zb::writer w(name);
        for (std::uint64_t s = 1; s <= frames; ++s) {
            w.write_frame(patterns::frame_data(dead_size, s));
        }
    } // closed: writer_pid 0
    const raw_segment seg(name);
    const zp::oieb_ref oieb = seg.oieb();
    oieb.store(field::payload_write_pos,
               oieb.load(field::payload_write_pos, acquire) - zp::frame_header_size - dead_size,
               release);
    oieb.store(field::payload_written_count, oieb.load(field::payload_written_count, acquire) - 1,
               release);
    sem_t* sem_w = ::sem_open(zb::names_of(name).write_semaphore.c_str(), 0);
    BOOST_TEST_REQUIRE(sem_w != SEM_FAILED);
    BOOST_TEST_REQUIRE(::sem_trywait(sem_w) == 0);
    ::sem_close(sem_w);
    const std::uint64_t pid = dead_pid();
    oieb.store(field::writer_pid, pid, release);
    return pid;
}

void expect_frame(zb::reader& r, std::uint64_t sequence, std::size_t size)
{
    boost::system::error_code ec;
    zb::frame f = r.read_frame(5s, ec);
    BOOST_TEST_REQUIRE(f.valid(), "no frame " << sequence << ": " << ec.message());
    BOOST_TEST(f.sequence() == sequence);
    BOOST_TEST_REQUIRE(f.size() == size);
    BOOST_TEST(patterns::verify_frame(f.bytes(), sequence));
}

void expect_event(zb::reader& r, zb::errc expected)
{
    boost::system::error_code ec;
    const zb::frame f = r.read_frame(5s, ec);
    BOOST_TEST(!f.valid(), "a frame (sequence " << f.sequence() << ") instead of an event");
    BOOST_TEST((ec == expected), "got " << ec.message());
}

/// Every frame released, every count in step: nothing leaked.
void expect_ring_whole(zb::reader& r)
{
    const zp::oieb_snapshot s = r.health().oieb;
    BOOST_TEST(s.payload_free_bytes == ring_size);
    BOOST_TEST(s.payload_written_count == s.payload_read_count);
    BOOST_TEST(s.payload_write_pos % ring_size == s.payload_read_pos % ring_size);
}

/// True when `f` is ready within `timeout`.
template <class T>
bool ready_within(std::future<T>& f, std::chrono::milliseconds timeout)
{
    return f.wait_for(timeout) == std::future_status::ready;
}

} // namespace

BOOST_AUTO_TEST_SUITE(writer_replacement)

// A replacement process attaches before the reader has read the dead writer's
// last frame. It must wait for the reader's repair: taking over at once, it
// would write over that unread frame from the stale position and leak its bytes.
BOOST_AUTO_TEST_CASE(replacement_process_waits_for_the_reader_repair)
{
    const std::string name = unique_name("replacement_process");
    zb::reader r(name, config());
    kill_inside_last_commit(name, 2);

    auto replacement = ts::start_peer({"write", name, "--count", "3", "--size",
                                       std::to_string(new_size), "--connect-timeout-ms", "10000"});
    ts::expect_line(*replacement, "connecting");
    // Room to attach and write, which it must not do while the dead pid is set.
    const auto early = replacement->read_line(500ms);
    BOOST_TEST(!early.has_value(), "attached before the reader repaired: " << early.value_or(""));

    expect_frame(r, 1, dead_size);
    expect_frame(r, 2, dead_size); // the frame whose commit was cut short
    expect_event(r, zb::errc::writer_dead);
    ts::expect_line(*replacement, "done frames=3");
    for (std::uint64_t s = 1; s <= 3; ++s) {
        expect_frame(r, s, new_size);
    }
    replacement->close_stdin();
    BOOST_TEST(ts::expect_exit(*replacement).success(), replacement->describe());
    expect_event(r, zb::errc::writer_disconnected);
    expect_ring_whole(r);
}

// The same with the replacement in the reader's own process: its pid is the
// reader's, which is also the reader's "repair in progress" mark.
/// A writer in the reader's process, connecting with `connect_timeout`, waits
/// for the reader's repair of a writer killed inside its commit.
void replace_in_reader_process(std::chrono::nanoseconds connect_timeout)
{
    const std::string name = unique_name("replacement_thread");
    zb::reader r(name, config());
    kill_inside_last_commit(name, 1);

    std::atomic<bool> wrote{false};
    auto replacement = std::async(std::launch::async, [&] {
        zb::writer_options o;
        o.connect_timeout = connect_timeout;
        zb::writer w(name, o);
        for (std::uint64_t s = 1; s <= 3; ++s) {
            w.write_frame(patterns::frame_data(new_size, s));
        }
        wrote = true;
        return w; // closed by the test, after it read the frames
    });
    BOOST_TEST(!ready_within(replacement, 500ms), "attached before the reader repaired");

    expect_frame(r, 1, dead_size);
    expect_event(r, zb::errc::writer_dead);
    for (std::uint64_t s = 1; s <= 3; ++s) {
        expect_frame(r, s, new_size);
    }
    BOOST_TEST_REQUIRE(ready_within(replacement, 5s));
    replacement.get().close();
    BOOST_TEST(wrote.load());
    expect_event(r, zb::errc::writer_disconnected);
    expect_ring_whole(r);
}

BOOST_AUTO_TEST_CASE(replacement_in_reader_process_waits_for_the_reader_repair)
{
    replace_in_reader_process(10s);
}

BOOST_AUTO_TEST_CASE(replacement_waiting_for_ever_waits_for_the_reader_repair)
{
    // nanoseconds::max(): the wait's end must saturate, not overflow into the
    // past (which took the dead pid over at once).
    replace_in_reader_process(std::chrono::nanoseconds::max());
}

// While writer_pid holds the reader's mark, a writer neither takes the slot
// over nor gives up: it waits until the mark is cleared. From another process
// the mark is a live pid; from the reader's process it is our own pid.
BOOST_AUTO_TEST_CASE(writer_waits_while_the_slot_is_marked_for_repair)
{
    const std::string name = unique_name("replacement_mark");
    zb::reader r(name, config());
    const raw_segment seg(name);
    const zp::oieb_ref oieb = seg.oieb();
    const std::uint64_t reader_pid = oieb.load(field::reader_pid, acquire);

    oieb.store(field::writer_pid, reader_pid, release);
    auto other = ts::start_peer(
        {"write", name, "--count", "1", "--size", "50", "--connect-timeout-ms", "10000"});
    ts::expect_line(*other, "connecting");
    const auto early = other->read_line(300ms);
    BOOST_TEST(!early.has_value(), "did not wait: " << early.value_or(""));
    BOOST_TEST(oieb.load(field::writer_pid, acquire) == reader_pid);
    oieb.store(field::writer_pid, 0, release); // the repair is done
    ts::expect_line(*other, "done frames=1");
    BOOST_TEST(ts::expect_exit(*other).success(), other->describe());
    expect_frame(r, 1, 50);
    expect_event(r, zb::errc::writer_disconnected);

    oieb.store(field::writer_pid, reader_pid, release);
    auto ours = std::async(std::launch::async, [&] {
        zb::writer_options o;
        o.connect_timeout = 10s;
        zb::writer w(name, o);
        w.write_frame(patterns::frame_data(60, 1));
        return w;
    });
    BOOST_TEST(!ready_within(ours, 300ms), "took the marked slot over");
    BOOST_TEST(oieb.load(field::writer_pid, acquire) == reader_pid);
    oieb.store(field::writer_pid, 0, release);
    BOOST_TEST_REQUIRE(ready_within(ours, 5s));
    ours.get().close();
    expect_frame(r, 1, 60);
    expect_event(r, zb::errc::writer_disconnected);
    expect_ring_whole(r);
}

// Nobody clears the dead pid in time (the reader read the dead writer's last
// frame but is not reading now): the replacement takes the slot over after its
// grace period and, since the reader has read the frame whose commit was cut
// short, repairs the position and count itself.
BOOST_AUTO_TEST_CASE(replacement_repairs_after_takeover_when_the_frame_was_read)
{
    const std::string name = unique_name("replacement_takeover");
    zb::reader r(name, config());
    {
        zb::writer w(name);
        w.write_frame(patterns::frame_data(dead_size, 1));
        w.write_frame(patterns::frame_data(dead_size, 2));
    }
    expect_frame(r, 1, dead_size);
    expect_frame(r, 2, dead_size);
    // Now the last commit is cut short after the reader read the frame.
    const raw_segment seg(name);
    const zp::oieb_ref oieb = seg.oieb();
    oieb.store(field::payload_write_pos, zp::frame_header_size + dead_size, release);
    oieb.store(field::payload_written_count, 1, release);
    oieb.store(field::writer_pid, dead_pid(), release);

    zb::writer w(name); // after the grace period
    for (std::uint64_t s = 1; s <= 2; ++s) {
        w.write_frame(patterns::frame_data(new_size, s));
    }
    BOOST_TEST(oieb.load(field::payload_write_pos, acquire) ==
               2 * (zp::frame_header_size + dead_size) + 2 * (zp::frame_header_size + new_size));
    for (std::uint64_t s = 1; s <= 2; ++s) {
        expect_frame(r, s, new_size);
    }
    w.close();
    expect_event(r, zb::errc::writer_disconnected);
    expect_ring_whole(r);
}

// The reader clears the dead pid only after it repaired the position and the
// count: a writer that claims the cleared slot must find them repaired. An
// observer thread stands in for that writer; the window is short, so it
// watches many repairs.
BOOST_AUTO_TEST_CASE(reader_clears_the_pid_only_after_its_repair)
{
    const std::string name = unique_name("replacement_order");
    zb::reader r(name, config());
    {
        zb::writer w(name);
        w.write_frame(patterns::frame_data(dead_size, 1));
    }
    expect_frame(r, 1, dead_size);
    expect_event(r, zb::errc::writer_disconnected);
    const raw_segment seg(name);
    const zp::oieb_ref oieb = seg.oieb();
    const std::uint64_t read_pos = oieb.load(field::payload_read_pos, acquire);
    const std::uint64_t read_count = oieb.load(field::payload_read_count, acquire);
    const std::uint64_t dead = dead_pid();

    // The observer acknowledges each dead pid and each cleared pid it sees,
    // so that every round is watched whatever the scheduler does.
    std::atomic<bool> stop{false};
    std::atomic<int> seen_dead{0};
    std::atomic<int> seen_cleared{0};
    std::atomic<int> unrepaired{0};
    std::thread observer([&] {
        while (!stop.load(std::memory_order_relaxed)) {
            const std::uint64_t pid = oieb.load(field::writer_pid, acquire);
            const bool watching = seen_dead.load() > seen_cleared.load();
            if (pid == dead && !watching) {
                ++seen_dead;
            } else if (pid == 0 && watching) {
                if (oieb.load(field::payload_written_count, acquire) != read_count ||
                    oieb.load(field::payload_write_pos, acquire) != read_pos) {
                    ++unrepaired;
                }
                ++seen_cleared;
            }
        }
    });
    const auto wait_for = [](const std::atomic<int>& counter, int value) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (counter.load() < value && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::yield();
        }
        return counter.load() >= value;
    };
    constexpr int rounds = 200;
    for (int i = 1; i <= rounds; ++i) {
        oieb.store(field::payload_write_pos, read_pos + 16, release);
        oieb.store(field::payload_written_count, read_count - 1, release);
        oieb.store(field::writer_pid, dead, release);
        BOOST_TEST_REQUIRE(wait_for(seen_dead, i), "round " << i << ": observer stalled");
        boost::system::error_code ec;
        (void)r.read_frame(5s, ec);
        BOOST_TEST_REQUIRE((ec == zb::errc::writer_dead), "round " << i << ": " << ec.message());
        BOOST_TEST_REQUIRE(wait_for(seen_cleared, i), "round " << i << ": observer stalled");
    }
    stop = true;
    observer.join();
    BOOST_TEST(unrepaired.load() == 0,
               unrepaired.load() << " of " << rounds << " cleared pids seen before the repair");
    expect_ring_whole(r);
}

// The writer's own repair, on a plain array: only when the read count shows
// the cut-short frame was read and that frame ends exactly at the read position.
BOOST_AUTO_TEST_CASE(repair_lost_commit_only_when_provably_read)
{
    const zp::segment_layout layout = *zp::make_layout(64, 1024);
    std::vector<std::uint64_t> words(layout.segment_size() / 8 + 1);
    const zp::segment_view seg{reinterpret_cast<std::byte*>(words.data()), layout};
    zp::initialize_oieb(seg.oieb(), layout, 4242);
    const zp::oieb_ref oieb = seg.oieb();
    const auto set = [&](field f, std::uint64_t v) { oieb.store(f, v, release); };
    const auto get = [&](field f) { return oieb.load(f, acquire); };

    // A marker at 1000 (24 bytes to the end), the frame of 100 bytes at 0.
    zp::store_header(seg.ring().data() + 1000, {0, 0});
    zp::store_header(seg.ring().data(), {100, 7});
    set(field::payload_write_pos, 1000);
    set(field::payload_written_count, 9); // the marker counted, the frame not
    set(field::payload_read_pos, 116);
    set(field::payload_read_count, 9); // not read yet
    BOOST_TEST(!zp::repair_lost_commit(seg));
    set(field::payload_read_count, 10);
    set(field::payload_read_pos, 117); // not where the frame ends
    BOOST_TEST(!zp::repair_lost_commit(seg));
    BOOST_TEST(get(field::payload_write_pos) == 1000u);
    set(field::payload_read_pos, 116);
    BOOST_TEST(zp::repair_lost_commit(seg));
    BOOST_TEST(get(field::payload_write_pos) == 116u);
    BOOST_TEST(get(field::payload_written_count) == 10u);
    // Repaired: nothing more to do.
    BOOST_TEST(!zp::repair_lost_commit(seg));

    // A short tail (10 bytes) before the frame at 0.
    set(field::payload_write_pos, 1014);
    set(field::payload_written_count, 9);
    BOOST_TEST(zp::repair_lost_commit(seg));
    BOOST_TEST(get(field::payload_write_pos) == 116u);
}

BOOST_AUTO_TEST_SUITE_END()
