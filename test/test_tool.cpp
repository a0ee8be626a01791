// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The `zerobuffer` command-line tool, driven as a user drives it: as a
// separate process, reading what it prints and its exit code.

#define BOOST_TEST_MODULE tool
#include <boost/test/unit_test.hpp>

#include <boost/json/src.hpp>

#include "support/child_process.hpp"
#include "support/raw_segment.hpp"
#include "support/tool_runner.hpp"

#include <zerobuffer/protocol/oieb.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/zerobuffer.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <unistd.h>

using namespace std::chrono_literals;
using zerobuffer::test::unique_name;
using zerobuffer::test_support::child_process;
using zerobuffer::test_support::expect_exit;
using zerobuffer::test_support::run_tool;
using zerobuffer::test_support::start_tool;
using zerobuffer::test_support::tool_result;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

/// The JSON object a run printed on stdout (its last non-empty line).
json::object parse_object(const std::string& out)
{
    std::string line;
    std::size_t end = out.find_last_not_of("\r\n");
    if (end != std::string::npos) {
        const std::size_t start = out.rfind('\n', end);
        line = out.substr(start == std::string::npos ? 0 : start + 1,
                          end + 1 - (start == std::string::npos ? 0 : start + 1));
    }
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) {
        throw std::runtime_error("not a JSON object: '" + line + "'");
    }
    return v.as_object();
}

std::int64_t integer(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    if (v == nullptr) {
        throw std::runtime_error("no key '" + std::string(key) + "' in " + json::serialize(o));
    }
    return v->to_number<std::int64_t>();
}

std::string text(const json::object& o, std::string_view key)
{
    return std::string(o.at(key).as_string());
}

std::string shm_file(const std::string& name)
{
    return "/dev/shm/" + name;
}

bool exists(const std::string& path)
{
    std::error_code ec;
    return fs::exists(path, ec);
}

/// Waits (bounded) until the segment of `name` exists and its OIEB names
/// `pid` as the reader: the tool's `read` is then ready for a writer.
void wait_reader_ready(const std::string& name, pid_t pid)
{
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
        const int fd = ::open(shm_file(name).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            std::uint64_t reader_pid = 0;
            const ssize_t n = ::pread(fd, &reader_pid, sizeof reader_pid,
                                      zerobuffer::protocol::oieb_offset::reader_pid);
            ::close(fd);
            if (n == sizeof reader_pid && reader_pid == static_cast<std::uint64_t>(pid)) {
                return;
            }
        }
        std::this_thread::sleep_for(5ms);
    }
    throw std::runtime_error("buffer " + name + " did not become ready within 30 s");
}

/// Removes the files of dead test buffers when the test ends, however it ends.
struct debris_guard {
    std::vector<std::string> names;
    ~debris_guard()
    {
        for (const auto& n : names) {
            const auto r = zerobuffer::names_of(n);
            ::shm_unlink(r.segment.c_str());
            ::sem_unlink(r.write_semaphore.c_str());
            ::sem_unlink(r.read_semaphore.c_str());
            ::unlink(r.lock_file.c_str());
        }
    }
};

/// A `zerobuffer read NAME` that died by SIGKILL: its lock file, segment and
/// semaphores are left behind, its lock no longer held.
void leave_stale_buffer(const std::string& name)
{
    auto reader = start_tool({"read", name, "--quiet", "--payload-size", "4K"});
    wait_reader_ready(name, reader->pid());
    reader->kill(SIGKILL); // reaps it: a zombie would still look alive
    BOOST_REQUIRE(exists(zerobuffer::names_of(name).lock_file));
    BOOST_REQUIRE(exists(shm_file(name)));
}

/// What the whole of a file holds.
std::string slurp(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A fresh directory removed at the end of the test.
struct temp_dir {
    fs::path path;
    temp_dir()
    {
        std::string templ = (fs::temp_directory_path() / "zerobuffer-tool-XXXXXX").string();
        if (::mkdtemp(templ.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        path = templ;
    }
    ~temp_dir()
    {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

/// The whole stdout of a background tool once it exited successfully.
json::object finish_json(child_process& child)
{
    const auto status = expect_exit(child);
    std::string out;
    for (const auto& line : child.transcript()) {
        out += line + "\n";
    }
    BOOST_TEST_INFO("background tool: " << child.describe());
    BOOST_TEST(status.success());
    return parse_object(out);
}

} // namespace

BOOST_AUTO_TEST_SUITE(tool)

BOOST_AUTO_TEST_CASE(write_then_read_with_verify_and_json)
{
    const std::string name = unique_name("tool_rw");
    auto reader = start_tool({"read", name, "--verify", "--json", "--quiet", "--timeout", "30",
                              "--payload-size", "256K"});
    const tool_result w =
        run_tool({"write", name, "--count", "300", "--size", "64..8192", "--seed", "5",
                  "--metadata", "hello tool", "--wait-for-reader", "30", "--json", "--quiet"});
    BOOST_TEST_INFO(w.describe());
    BOOST_REQUIRE_EQUAL(w.code(), 0);
    const auto wj = parse_object(w.out);
    BOOST_TEST(integer(wj, "frames") == 300);
    BOOST_TEST(text(wj, "end") == "count");
    BOOST_TEST(integer(wj, "metadata_bytes") == 10);

    const auto rj = finish_json(*reader);
    BOOST_TEST(integer(rj, "frames") == 300);
    BOOST_TEST(integer(rj, "bytes") == integer(wj, "bytes"));
    BOOST_TEST(integer(rj, "first_sequence") == 1);
    BOOST_TEST(integer(rj, "last_sequence") == 300);
    BOOST_TEST(text(rj, "end") == "writer_disconnected");
    BOOST_TEST(text(rj, "metadata") == "hello tool");
    const auto& verify = rj.at("verify").as_object();
    BOOST_TEST(verify.at("ok").as_bool());
    BOOST_TEST(integer(verify, "frames") == 300);
    BOOST_TEST(integer(verify, "pattern_errors") == 0);
    BOOST_TEST(integer(verify, "sequence_errors") == 0);
    // The reader removed its buffer on exit.
    BOOST_TEST(!exists(shm_file(name)));
    BOOST_TEST(!exists(zerobuffer::names_of(name).lock_file));
}

// Boost.JSON escapes the tool's strings: a name with a quote, a backslash and a
// non-ASCII letter, and metadata with those, a newline, a tab and a character
// past Latin-1, come back from a parser as they went in, each report on one line.
BOOST_AUTO_TEST_CASE(json_strings_keep_quotes_backslashes_control_characters_and_utf8)
{
    const std::string name = unique_name("tool_json_\"q\\b_\xc3\xa9");
    const std::string meta = "say \"hi\"\\\n\tvoil\xc3\xa0 \xe2\x9c\x93";
    auto reader = start_tool({"read", name, "--json", "--quiet", "--timeout", "30"});
    const tool_result w = run_tool({"write", name, "--count", "3", "--metadata", meta,
                                    "--wait-for-reader", "30", "--json", "--quiet"});
    BOOST_TEST_INFO(w.describe());
    BOOST_REQUIRE_EQUAL(w.code(), 0);
    BOOST_TEST(std::count(w.out.begin(), w.out.end(), '\n') == 1);
    BOOST_TEST(text(parse_object(w.out), "name") == name);

    const auto rj = finish_json(*reader);
    BOOST_TEST(reader->transcript().size() == 1u);
    BOOST_TEST(text(rj, "name") == name);
    BOOST_TEST(text(rj, "metadata") == meta);
    BOOST_TEST(integer(rj, "metadata_bytes") == static_cast<std::int64_t>(meta.size()));

    // inspect and list name it the same way.
    zerobuffer::reader r(name, {256, 4096});
    const tool_result i = run_tool({"inspect", name, "--json"});
    BOOST_TEST_INFO(i.describe());
    BOOST_REQUIRE_EQUAL(i.code(), 0);
    const auto j = parse_object(i.out);
    BOOST_TEST(text(j, "name") == name);
    BOOST_TEST(text(j, "segment") == shm_file(name));
    const tool_result l = run_tool({"list", name, "--json"});
    BOOST_TEST_INFO(l.describe());
    BOOST_REQUIRE_EQUAL(l.code(), 0);
    const auto buffers = parse_object(l.out).at("buffers").as_array();
    BOOST_REQUIRE_EQUAL(buffers.size(), 1u);
    BOOST_TEST(text(buffers.at(0).as_object(), "name") == name);
}

BOOST_AUTO_TEST_CASE(zero_copy_writes_verify_and_a_wrong_pattern_fails_verify)
{
    const std::string good = unique_name("tool_zc");
    auto reader = start_tool({"read", good, "--verify", "--json", "--quiet", "--timeout", "30",
                              "--payload-size", "64K"});
    const tool_result w = run_tool({"write", good, "--count", "500", "--size", "1..3000",
                                    "--zero-copy", "--wait-for-reader", "30", "--quiet"});
    BOOST_TEST_INFO(w.describe());
    BOOST_REQUIRE_EQUAL(w.code(), 0);
    const auto rj = finish_json(*reader);
    BOOST_TEST(integer(rj, "frames") == 500);
    BOOST_TEST(rj.at("verify").as_object().at("ok").as_bool());

    // Zeros are not the test pattern: --verify must say so and fail.
    const std::string bad = unique_name("tool_zeros");
    auto checker = start_tool({"read", bad, "--verify", "--json", "--quiet", "--timeout", "30"});
    const tool_result z = run_tool({"write", bad, "--count", "10", "--size", "100", "--pattern",
                                    "zeros", "--wait-for-reader", "30", "--quiet"});
    BOOST_REQUIRE_EQUAL(z.code(), 0);
    const auto status = expect_exit(*checker);
    BOOST_TEST_INFO(checker->describe());
    BOOST_TEST(status.exited);
    BOOST_TEST(status.code == 1);
    std::string out;
    for (const auto& line : checker->transcript()) {
        out += line + "\n";
    }
    const auto verify = parse_object(out).at("verify").as_object();
    BOOST_TEST(!verify.at("ok").as_bool());
    BOOST_TEST(integer(verify, "pattern_errors") == 10);
}

BOOST_AUTO_TEST_CASE(output_file_feeds_input_of_another_write)
{
    const temp_dir dir;
    const auto first = dir.path / "first.bin";
    const auto second = dir.path / "second.bin";
    const auto chunks = dir.path / "chunks.raw";

    // 1. Frames of random sizes, saved length-prefixed.
    const std::string a = unique_name("tool_out_a");
    auto ra = start_tool({"read", a, "--output", first.string(), "--length-prefixed", "--json",
                          "--quiet", "--timeout", "30"});
    BOOST_REQUIRE_EQUAL(run_tool({"write", a, "--count", "100", "--size", "1..1000", "--seed", "9",
                                  "--pattern", "random", "--wait-for-reader", "30", "--quiet"})
                            .code(),
                        0);
    const auto ja = finish_json(*ra);
    BOOST_TEST(integer(ja, "frames") == 100);
    const std::string first_bytes = slurp(first);
    BOOST_TEST(static_cast<std::int64_t>(first_bytes.size()) == integer(ja, "bytes") + 100 * 8);

    // 2. The file's records sent again: the same frames arrive.
    const std::string b = unique_name("tool_out_b");
    auto rb = start_tool({"read", b, "--output", second.string(), "--length-prefixed", "--json",
                          "--quiet", "--timeout", "30"});
    const tool_result wb = run_tool(
        {"write", b, "--input", first.string(), "--wait-for-reader", "30", "--json", "--quiet"});
    BOOST_TEST_INFO(wb.describe());
    BOOST_REQUIRE_EQUAL(wb.code(), 0);
    BOOST_TEST(integer(parse_object(wb.out), "frames") == 100);
    BOOST_TEST(text(parse_object(wb.out), "end") == "input_end");
    BOOST_TEST(integer(finish_json(*rb), "frames") == 100);
    BOOST_TEST(slurp(second) == first_bytes);

    // 3. Any file cut into fixed-size records, written raw: the same bytes.
    const std::string c = unique_name("tool_out_c");
    auto rc = start_tool(
        {"read", c, "--output", chunks.string(), "--json", "--quiet", "--timeout", "30"});
    BOOST_REQUIRE_EQUAL(run_tool({"write", c, "--input", first.string(), "--record-size", "100",
                                  "--wait-for-reader", "30", "--quiet"})
                            .code(),
                        0);
    const auto jc = finish_json(*rc);
    BOOST_TEST(integer(jc, "frames") == static_cast<std::int64_t>((first_bytes.size() + 99) / 100));
    BOOST_TEST(slurp(chunks) == first_bytes);
}

BOOST_AUTO_TEST_CASE(inspect_reports_a_known_state_without_disturbing_it)
{
    const std::string name = unique_name("tool_inspect");
    zerobuffer::reader r(name, {256, 4096});
    zerobuffer::writer w(name);
    const std::string meta = "hello";
    w.set_metadata(meta);
    for (std::uint64_t s = 1; s <= 3; ++s) {
        w.write_frame(zerobuffer::testing::test_data_patterns::frame_data(100, s));
    }
    zerobuffer::frame held = r.read_frame(5s);
    BOOST_REQUIRE(held.valid());

    const tool_result t = run_tool({"inspect", name, "--json"});
    BOOST_TEST_INFO(t.describe());
    BOOST_REQUIRE_EQUAL(t.code(), 0);
    const auto j = parse_object(t.out);
    const auto pid = static_cast<std::int64_t>(::getpid());
    BOOST_TEST(j.at("valid").as_bool());
    BOOST_TEST(text(j, "version") == "1.0.0");
    BOOST_TEST(integer(j, "oieb_size") == 128);
    BOOST_TEST(integer(j, "segment_size") == 128 + 256 + 4096);
    BOOST_TEST(integer(j, "metadata_size") == 256);
    BOOST_TEST(integer(j, "metadata_length") == 5);
    BOOST_TEST(integer(j, "metadata_written_bytes") == 13);
    BOOST_TEST(integer(j, "payload_size") == 4096);
    BOOST_TEST(integer(j, "payload_write_pos") == 3 * 116);
    BOOST_TEST(integer(j, "payload_read_pos") == 116);
    BOOST_TEST(integer(j, "payload_written_count") == 3);
    BOOST_TEST(integer(j, "payload_read_count") == 1);
    BOOST_TEST(integer(j, "frames_in_flight") == 2);
    BOOST_TEST(integer(j, "payload_free_bytes") == 4096 - 3 * 116); // the held frame counts
    BOOST_TEST(integer(j, "payload_used_bytes") == 3 * 116);
    BOOST_TEST(text(j, "health") == "healthy");
    BOOST_TEST(integer(j, "reader_pid") == pid);
    BOOST_TEST(j.at("reader_alive").as_bool());
    BOOST_TEST(integer(j, "writer_pid") == pid);
    BOOST_TEST(j.at("writer_alive").as_bool());

    // Released while frames 2 and 3 are known to be committed: the reader
    // gives the bytes back with a later release (a batch), not at once.
    held.release();
    const auto after = parse_object(run_tool({"inspect", name, "--json"}).out);
    BOOST_TEST(integer(after, "payload_free_bytes") == 4096 - 3 * 116);

    // Looking changed nothing: the reader goes on with frames 2 and 3.
    for (std::uint64_t s = 2; s <= 3; ++s) {
        zerobuffer::frame f = r.read_frame(5s);
        BOOST_REQUIRE(f.valid());
        BOOST_TEST(f.sequence() == s);
        BOOST_TEST(zerobuffer::testing::test_data_patterns::verify_frame(f.bytes(), s));
    }
    // Caught up: the last release gave every byte back.
    const auto drained = parse_object(run_tool({"inspect", name, "--json"}).out);
    BOOST_TEST(integer(drained, "payload_free_bytes") == 4096);
    BOOST_TEST(integer(drained, "frames_in_flight") == 0);
    const tool_result plain = run_tool({"inspect", name});
    BOOST_TEST(plain.code() == 0);
    BOOST_TEST(plain.out.find("written 3, read 3") != std::string::npos, plain.out);

    const tool_result watch =
        run_tool({"inspect", name, "--json", "--watch=0.05", "--iterations", "3"});
    BOOST_TEST(watch.code() == 0);
    BOOST_TEST(std::count(watch.out.begin(), watch.out.end(), '\n') == 3);
}

// A stale buffer is fragile: every reader created on this host, by any test
// running meanwhile, removes all stale buffers first (PROTOCOL.md section 7).
// So the tests below create their stale buffer last and, when it vanished
// before the tool looked (its lock file is gone), build a new one and look again.
constexpr int stale_attempts = 5;

BOOST_AUTO_TEST_CASE(list_tells_live_stale_and_orphaned_apart)
{
    // Orphans (no lock file) and live buffers are never removed by others.
    const std::string orphan = unique_name("tool_list_orphan");
    debris_guard debris{{orphan}};
    leave_stale_buffer(orphan);
    BOOST_REQUIRE(::unlink(zerobuffer::names_of(orphan).lock_file.c_str()) == 0);
    const std::string live = unique_name("tool_list_live");
    zerobuffer::reader keep(live, {64, 4096});

    bool seen = false;
    for (int attempt = 0; attempt < stale_attempts && !seen; ++attempt) {
        const std::string stale = unique_name("tool_list_stale" + std::to_string(attempt));
        debris.names.push_back(stale);
        leave_stale_buffer(stale);
        const tool_result t = run_tool({"list", live, stale, orphan, "--json"});
        BOOST_TEST_INFO(t.describe());
        BOOST_REQUIRE_EQUAL(t.code(), 0);
        const json::object listing = parse_object(t.out);
        std::map<std::string, json::object> by_name;
        for (const auto& b : listing.at("buffers").as_array()) {
            by_name[text(b.as_object(), "name")] = b.as_object();
        }
        if (by_name.count(stale) == 0 && !exists(zerobuffer::names_of(stale).lock_file)) {
            continue; // another process's reader cleaned it up first
        }
        seen = true;
        BOOST_REQUIRE_EQUAL(by_name.size(), 3u);
        BOOST_TEST(text(by_name.at(live), "state") == "live");
        BOOST_TEST(by_name.at(live).at("reader_alive").as_bool());
        BOOST_TEST(text(by_name.at(stale), "state") == "stale");
        BOOST_TEST(by_name.at(stale).at("lock_file").as_bool());
        BOOST_TEST(!by_name.at(stale).at("reader_alive").as_bool());
        BOOST_TEST(text(by_name.at(orphan), "state") == "orphaned");
        BOOST_TEST(!by_name.at(orphan).at("lock_file").as_bool());
        BOOST_TEST(by_name.at(orphan).at("segment").as_bool());
        BOOST_TEST(by_name.at(orphan).at("write_semaphore").as_bool());
        BOOST_TEST(by_name.at(orphan).at("read_semaphore").as_bool());
        BOOST_TEST(!by_name.at(orphan).at("reader_alive").as_bool());
        run_tool({"cleanup", stale});
    }
    BOOST_TEST(seen, "the stale buffer was removed by others " << stale_attempts << " times");

    // The table of every buffer on the host says the same.
    const tool_result table = run_tool({"list"});
    BOOST_TEST(table.code() == 0);
    for (const auto& [n, state] : {std::pair{live, "live"}, {orphan, "orphaned"}}) {
        BOOST_TEST_INFO(table.out);
        const auto at = table.out.find(n + " ");
        BOOST_REQUIRE(at != std::string::npos);
        const auto after_name = at + n.size();
        BOOST_TEST(table.out.find(state, after_name) ==
                   table.out.find_first_not_of(' ', after_name));
    }

    // The orphan goes with `cleanup NAME`; the live buffer stays.
    const tool_result c = run_tool({"cleanup", orphan, "--json"});
    BOOST_TEST_INFO(c.describe());
    BOOST_TEST(c.code() == 0);
    const json::object cj = parse_object(c.out);
    const auto& removed = cj.at("removed").as_array();
    BOOST_REQUIRE_EQUAL(removed.size(), 1u);
    BOOST_TEST(text(removed[0].as_object(), "state") == "orphaned");
    BOOST_TEST(!exists(shm_file(orphan)));
    BOOST_TEST(!exists("/dev/shm/sem.sem-w-" + orphan));
    BOOST_TEST(!exists("/dev/shm/sem.sem-r-" + orphan));
    BOOST_TEST(run_tool({"list", orphan, "--json"}).out.find("\"buffers\":[]") !=
               std::string::npos);
    BOOST_TEST(run_tool({"cleanup", live}).code() == 0);
    BOOST_TEST(exists(shm_file(live)));
}

BOOST_AUTO_TEST_CASE(cleanup_removes_a_stale_buffer_and_leaves_a_live_one)
{
    const std::string live = unique_name("tool_clean_live");
    zerobuffer::reader keep(live, {64, 4096});

    debris_guard debris;
    bool seen = false;
    for (int attempt = 0; attempt < stale_attempts && !seen; ++attempt) {
        const std::string stale = unique_name("tool_clean_stale" + std::to_string(attempt));
        debris.names.push_back(stale);
        const auto names = zerobuffer::names_of(stale);
        leave_stale_buffer(stale);

        // A dry run says so and removes nothing.
        const tool_result dry = run_tool({"cleanup", stale, "--dry-run", "--json"});
        BOOST_TEST_INFO(dry.describe());
        BOOST_REQUIRE_EQUAL(dry.code(), 0);
        const json::object dj = parse_object(dry.out);
        BOOST_TEST(dj.at("dry_run").as_bool());
        if (dj.at("removed").as_array().empty() && !exists(names.lock_file)) {
            continue; // another process's reader cleaned it up first
        }
        BOOST_REQUIRE_EQUAL(dj.at("removed").as_array().size(), 1u);
        BOOST_TEST(text(dj.at("removed").as_array()[0].as_object(), "name") == stale);
        BOOST_TEST(text(dj.at("removed").as_array()[0].as_object(), "state") == "stale");
        if (!exists(names.lock_file)) {
            continue; // removed meanwhile, by someone else
        }
        BOOST_TEST(exists(shm_file(stale)));

        const tool_result t = run_tool({"cleanup", stale, "--json"});
        BOOST_TEST_INFO(t.describe());
        BOOST_TEST(t.code() == 0);
        const json::object tj = parse_object(t.out);
        if (tj.at("removed").as_array().empty() && !exists(names.lock_file)) {
            continue;
        }
        seen = true;
        BOOST_REQUIRE_EQUAL(tj.at("removed").as_array().size(), 1u);
        BOOST_TEST(text(tj.at("removed").as_array()[0].as_object(), "name") == stale);
        BOOST_TEST(!exists(names.lock_file));
        BOOST_TEST(!exists(shm_file(stale)));
        BOOST_TEST(!exists("/dev/shm/sem.sem-w-" + stale));
        BOOST_TEST(!exists("/dev/shm/sem.sem-r-" + stale));
    }
    BOOST_TEST(seen, "the stale buffer was removed by others " << stale_attempts << " times");

    const tool_result l = run_tool({"cleanup", live, "--json"});
    BOOST_TEST_INFO(l.describe());
    BOOST_TEST(l.code() == 0);
    const json::object lj = parse_object(l.out);
    BOOST_TEST(lj.at("removed").as_array().empty());
    BOOST_REQUIRE_EQUAL(lj.at("kept").as_array().size(), 1u);
    BOOST_TEST(text(lj.at("kept").as_array()[0].as_object(), "state") == "live");
    BOOST_TEST(exists(zerobuffer::names_of(live).lock_file));
    BOOST_TEST(exists(shm_file(live)));

    // And the live buffer still works.
    zerobuffer::writer w(live);
    w.write_frame(zerobuffer::testing::test_data_patterns::frame_data(10, 1));
    zerobuffer::frame f = keep.read_frame(5s);
    BOOST_REQUIRE(f.valid());
    BOOST_TEST(f.sequence() == 1u);
}

BOOST_AUTO_TEST_CASE(bad_arguments_say_what_is_wrong)
{
    struct bad_case {
        std::vector<std::string> args;
        int code;
        std::string message;
    };
    const std::string absent = unique_name("tool_absent");
    const std::vector<bad_case> cases = {
        {{}, 2, "usage"},
        {{"frobnicate"}, 2, "unknown command 'frobnicate'"},
        {{"read"}, 2, "missing buffer NAME"},
        {{"write"}, 2, "missing buffer NAME"},
        {{"inspect"}, 2, "missing buffer NAME"},
        {{"read", "a/b"}, 2, "invalid buffer name 'a/b'"},
        {{"write", "a/b"}, 2, "invalid buffer name"},
        {{"write", absent, "--size", "0"}, 2, "--size"},
        {{"write", absent, "--size", "9..3"}, 2, "--size"},
        {{"read", absent, "--bogus"}, 2, "--bogus"},
        {{"read", absent, "--mode", "999"}, 2, "--mode"},
        {{"read", absent, "extra"}, 2, "too many arguments"},
        {{"cleanup"}, 2, "--all"},
        {{"bench", "--pin", "0"}, 2, "--pin"},
        {{"write", absent}, 1, "no reader"},
        {{"inspect", absent}, 1, "no buffer named"},
    };
    for (const auto& c : cases) {
        const tool_result r = run_tool(c.args, 60s);
        std::string cmd;
        for (const auto& a : c.args) {
            cmd += " " + a;
        }
        BOOST_TEST_CONTEXT("zerobuffer" << cmd << "\n" << r.describe())
        {
            BOOST_TEST(r.code() == c.code);
            BOOST_TEST(r.err.find(c.message) != std::string::npos);
            BOOST_TEST(r.out.empty());
        }
    }
    BOOST_TEST(!exists(shm_file(absent)));

    for (const std::string cmd : {"read", "write", "inspect", "list", "cleanup", "bench", "demo"}) {
        const tool_result r = run_tool({cmd, "--help"});
        BOOST_TEST_CONTEXT(cmd << ": " << r.describe())
        {
            BOOST_TEST(r.code() == 0);
            BOOST_TEST(r.out.starts_with("usage: zerobuffer " + cmd));
            BOOST_TEST(r.out.find("--help") != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(demo_streams_and_exits_zero)
{
    const tool_result r = run_tool({"demo", "--seconds", "1"}, 180s);
    BOOST_TEST_INFO(r.describe());
    BOOST_TEST(r.code() == 0);
    BOOST_TEST(r.out.find("every frame verified") != std::string::npos);

    const tool_result j =
        run_tool({"demo", "--seconds", "0.5", "--size", "64..2048", "--json"}, 180s);
    BOOST_TEST_INFO(j.describe());
    BOOST_REQUIRE_EQUAL(j.code(), 0);
    const auto o = parse_object(j.out);
    BOOST_TEST(o.at("ok").as_bool());
    BOOST_TEST(integer(o, "frames") > 0);
    BOOST_TEST(integer(o, "frames") == integer(o, "frames_written"));
    // Nothing left behind by either run.
    for (const auto& entry : fs::directory_iterator("/dev/shm")) {
        const std::string f = entry.path().filename().string();
        BOOST_TEST(f.find("zerobuffer-demo-" + std::to_string(r.pid) + "-") == std::string::npos);
        BOOST_TEST(f.find("zerobuffer-demo-" + std::to_string(j.pid) + "-") == std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()
