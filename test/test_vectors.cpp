// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The golden segment images of the reference implementations (vectors/README.md;
// CONFORMANCE 8.3): our reader reads them, and our writer, replaying the same
// operations, produces the same bytes (process ids aside). Two levels: the
// protocol engines on plain byte arrays, and the public reader and writer on
// real shared memory.

#define BOOST_TEST_MODULE vectors
#include <boost/test/unit_test.hpp>

#include <zerobuffer/protocol/metadata.hpp>
#include <zerobuffer/protocol/oieb.hpp>
#include <zerobuffer/protocol/ring_engine.hpp>
#include <zerobuffer/reader.hpp>
#include <zerobuffer/testing/buffer_naming_service.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/writer.hpp>

#include "support/raw_segment.hpp"
#include "support/vector_image.hpp"

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <boost/interprocess/sync/named_semaphore.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace bip = boost::interprocess;
namespace zp = zerobuffer::protocol;
namespace ts = zerobuffer::test_support;
using patterns = zerobuffer::testing::test_data_patterns;

namespace {

constexpr std::uint64_t metadata_size = 1024;
constexpr std::uint64_t payload_size = 4096;
constexpr std::uint64_t segment_size = 128 + metadata_size + payload_size;
constexpr auto relaxed = std::memory_order_relaxed;

// One row of the README's table.
struct scenario {
    std::string name;
    std::vector<std::uint64_t> sizes; // frame sizes, sequence i + 1
    std::string metadata;             // empty: none written
    std::size_t d;                    // frames committed when the image was taken
    bool lockstep;                    // before each frame after the first, all was released
    bool zero_copy;

    // The reader had read and released these before D.
    std::size_t frames_read_before_d() const { return lockstep ? d - 1 : 0; }
};

const std::vector<scenario>& all_scenarios()
{
    static const std::vector<scenario> all = {
        {"basic", {1, 100, 1000}, "hello", 3, false, false},
        {"wrap_marker", {4000, 100, 3000, 1000}, "", 4, true, false},
        {"tail_lt16", {4072, 100}, "", 2, true, false},
        {"tail_lt16_dirty", {4080, 4072, 100}, "", 3, true, false},
        {"exact_end", {4080, 100}, "", 1, true, false},
        {"exact_end_zc", {4080, 100}, "", 1, true, true},
    };
    return all;
}

const scenario& find_scenario(std::string_view name)
{
    for (const auto& s : all_scenarios()) {
        if (s.name == name) {
            return s;
        }
    }
    throw std::runtime_error("no scenario " + std::string(name));
}

// SCENARIO__w-WRITER_r-READER[.consumed].bin
struct image_name {
    std::string file;
    std::string scenario;
    std::string writer;
    std::string reader;
    bool consumed = false;
};

std::optional<image_name> parse_image_name(const std::string& file)
{
    constexpr std::string_view bin = ".bin";
    constexpr std::string_view consumed = ".consumed";
    if (file.size() <= bin.size() || !file.ends_with(bin)) {
        return std::nullopt;
    }
    image_name n;
    n.file = file;
    std::string stem = file.substr(0, file.size() - bin.size());
    if (stem.ends_with(consumed)) {
        n.consumed = true;
        stem.resize(stem.size() - consumed.size());
    }
    const auto sep = stem.find("__w-");
    const auto r = stem.rfind("_r-");
    if (sep == std::string::npos || r == std::string::npos || r < sep) {
        return std::nullopt;
    }
    n.scenario = stem.substr(0, sep);
    n.writer = stem.substr(sep + 4, r - sep - 4);
    n.reader = stem.substr(r + 3);
    return n;
}

std::vector<image_name> all_images()
{
    std::vector<image_name> images;
    for (const auto& entry : std::filesystem::directory_iterator(ts::vectors_dir())) {
        if (auto n = parse_image_name(entry.path().filename().string())) {
            images.push_back(*n);
        }
    }
    std::sort(images.begin(), images.end(),
              [](const image_name& a, const image_name& b) { return a.file < b.file; });
    return images;
}

std::vector<image_name> images_of(const scenario& sc, bool consumed)
{
    std::vector<image_name> out;
    for (auto& n : all_images()) {
        if (n.scenario == sc.name && n.consumed == consumed) {
            out.push_back(n);
        }
    }
    return out;
}

bool image_exists(const std::string& file)
{
    return std::filesystem::exists(ts::vectors_dir() / file);
}

std::string file_of(const scenario& sc, std::string_view writer, std::string_view reader,
                    bool consumed)
{
    return sc.name + "__w-" + std::string(writer) + "_r-" + std::string(reader) +
           (consumed ? ".consumed.bin" : ".bin");
}

// Replaces a u64 field of an expected image after checking the reference's value.
void patch_field(std::vector<std::byte>& image, std::size_t offset, std::uint64_t reference,
                 std::uint64_t ours, const std::string& what)
{
    BOOST_TEST_REQUIRE(ts::read_le64(image, offset) == reference,
                       what << ": the reference image no longer holds " << reference);
    ts::write_le64(image, offset, ours);
}

// The bytes we must produce where the image `n` was taken, with the documented
// differences of the references patched to our rules (PROTOCOL.md section 5):
// - our reader does not count an implicit wrap (a tail < 16 bytes, no marker);
//   the reference readers do (offset 72, read count);
// - with `our_writer`: our writer does not count a marker-less wrap (the Python
//   one does, offset 64) and leaves write_pos == payload_size after an exact
//   fit (the Python one stores 0, offset 48).
std::vector<std::byte> expected_image(const image_name& n, bool our_writer)
{
    const auto loaded = ts::load_image(n.file);
    std::vector<std::byte> image(loaded.span().begin(), loaded.span().end());
    using namespace zp::oieb_offset;
    if (n.scenario == "tail_lt16" && n.consumed) {
        patch_field(image, payload_read_count, 3, 2, n.file + " read count");
    }
    if (our_writer && n.writer == "py") {
        if (n.scenario == "tail_lt16") {
            patch_field(image, payload_written_count, 3, 2, n.file + " written count");
        }
        if (n.scenario == "exact_end_zc" && !n.consumed) {
            patch_field(image, payload_write_pos, 0, payload_size, n.file + " write_pos");
        }
    }
    return image;
}

void check_same_image(const image_name& expected_name, std::span<const std::byte> actual,
                      bool our_writer)
{
    const auto expected = expected_image(expected_name, our_writer);
    const auto diff = ts::first_difference_masked(expected, actual, metadata_size);
    BOOST_TEST(diff.empty(), expected_name.file << ": " << diff);
}

std::string as_string(std::span<const std::byte> bytes)
{
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::span<const std::byte> bytes_of(const std::string& s)
{
    return std::as_bytes(std::span(s.data(), s.size()));
}

// Reads frame `sequence` of `sc` with an engine and releases it.
void read_engine_frame(zp::ring_reader& r, const scenario& sc, std::uint64_t sequence)
{
    zp::delivered_frame f;
    const auto ec = r.next(f);
    BOOST_TEST_REQUIRE(!ec, "frame " << sequence << ": " << ec.message());
    BOOST_TEST_REQUIRE(f.sequence == sequence);
    BOOST_TEST_REQUIRE(f.size == sc.sizes[sequence - 1]);
    const auto bad = patterns::first_frame_mismatch({f.data, f.size}, sequence);
    BOOST_TEST_REQUIRE(bad == f.size, "frame " << sequence << " differs at byte " << bad);
    r.release_frame(f);
}

// --- engine level ----------------------------------------------------------

// Reader side: read what follows D in every image of the scenario taken at D.
void check_reader_engine(const std::string& scenario_name)
{
    const auto& sc = find_scenario(scenario_name);
    const auto images = images_of(sc, false);
    BOOST_TEST_REQUIRE(!images.empty());
    for (const auto& n : images) {
        BOOST_TEST_CONTEXT(n.file)
        {
            auto image = ts::load_image(n.file);
            const zp::oieb_ref oieb(image.data());
            zp::segment_layout layout;
            const auto vec = zp::validate_oieb(zp::take_snapshot(oieb), image.size(), layout);
            BOOST_TEST_REQUIRE(!vec, vec.message());
            const zp::segment_view seg{image.data(), layout};

            boost::system::error_code ec;
            const auto md =
                zp::parse_metadata(seg.metadata_block(),
                                   oieb.load(zp::oieb_field::metadata_written_bytes, relaxed), ec);
            BOOST_TEST(!ec);
            BOOST_TEST(as_string(md) == sc.metadata);

            zp::ring_reader r(seg);
            r.set_expected_sequence(sc.frames_read_before_d() + 1);
            for (std::uint64_t s = sc.frames_read_before_d() + 1; s <= sc.d; ++s) {
                read_engine_frame(r, sc, s);
            }
            BOOST_TEST(oieb.load(zp::oieb_field::payload_free_bytes, relaxed) == payload_size);
            BOOST_TEST(r.in_flight() == 0U);

            // When D is the last frame, reading to the end is what the
            // reference reader did before its consumed image was taken.
            const auto consumed = file_of(sc, n.writer, n.reader, true);
            if (sc.d == sc.sizes.size() && image_exists(consumed)) {
                check_same_image(*parse_image_name(consumed), image.span(), false);
            }
        }
    }
}

struct replay_result {
    std::vector<std::byte> at_d;
    std::vector<std::byte> consumed;
};

// Writer side: the scenario on a fresh array, with a reader in lockstep.
replay_result replay_engine(const scenario& sc)
{
    const auto layout = *zp::make_layout(metadata_size, payload_size);
    ts::aligned_bytes bytes(layout.segment_size());
    const zp::segment_view seg{bytes.data(), layout};
    zp::initialize_oieb(seg.oieb(), layout, 0);
    if (!sc.metadata.empty()) {
        BOOST_TEST_REQUIRE(
            !zp::write_metadata(seg.oieb(), seg.metadata_block(), bytes_of(sc.metadata)));
    }
    zp::ring_writer w(seg);
    zp::ring_reader r(seg);
    std::uint64_t next_to_read = 1;
    std::uint64_t committed = 0;
    const auto drain = [&] {
        while (next_to_read <= committed) {
            read_engine_frame(r, sc, next_to_read++);
        }
    };
    replay_result result;
    for (std::size_t i = 0; i < sc.sizes.size(); ++i) {
        if (i > 0 && sc.lockstep) {
            drain();
            BOOST_TEST_REQUIRE(seg.oieb().load(zp::oieb_field::payload_free_bytes, relaxed) ==
                               payload_size);
        }
        const std::uint64_t n = sc.sizes[i];
        const std::uint64_t sequence = i + 1;
        std::span<std::byte> data;
        const auto ec = w.try_reserve(n, data);
        BOOST_TEST_REQUIRE(!ec, "frame " << sequence << ": " << ec.message());
        if (sc.zero_copy) {
            patterns::fill_frame(data, sequence);
        } else {
            const auto source = patterns::frame_data(n, sequence);
            std::memcpy(data.data(), source.data(), source.size());
        }
        BOOST_TEST_REQUIRE(w.commit() == sequence);
        committed = sequence;
        if (sequence == sc.d) {
            result.at_d.assign(bytes.span().begin(), bytes.span().end());
        }
    }
    drain();
    result.consumed.assign(bytes.span().begin(), bytes.span().end());
    return result;
}

// Compares a replay with the images a C++ writer produced (any reader), and
// with the Python writer's images through their documented differences.
void check_replay(const scenario& sc, const replay_result& result)
{
    int compared = 0;
    for (const auto& n : images_of(sc, false)) {
        check_same_image(n, result.at_d, true);
        ++compared;
    }
    for (const auto& n : images_of(sc, true)) {
        check_same_image(n, result.consumed, true);
    }
    BOOST_TEST(compared > 0);
    BOOST_TEST(image_exists(file_of(sc, "cpp", "cpp", false)));
}

void check_writer_engine(const std::string& scenario_name)
{
    const auto& sc = find_scenario(scenario_name);
    check_replay(sc, replay_engine(sc));
}

// --- shared memory -----------------------------------------------------------

// This process's own mapping of a live buffer's segment.
class mapped_segment {
public:
    explicit mapped_segment(const std::string& name)
        : object_(bip::open_only, name.c_str(), bip::read_write), region_(object_, bip::read_write)
    {
    }
    std::span<std::byte> bytes() const
    {
        return {static_cast<std::byte*>(region_.get_address()), region_.get_size()};
    }
    zp::oieb_ref oieb() const { return zp::oieb_ref(bytes().data()); }
    std::vector<std::byte> copy() const { return {bytes().begin(), bytes().end()}; }

private:
    bip::shared_memory_object object_;
    bip::mapped_region region_;
};

zerobuffer::buffer_config vector_config()
{
    zerobuffer::buffer_config config;
    config.metadata_size = metadata_size;
    config.payload_size = payload_size;
    return config;
}

void check_frame(const zerobuffer::frame& f, const scenario& sc, std::uint64_t sequence)
{
    BOOST_TEST_REQUIRE(f.valid(), "frame " << sequence << " did not arrive");
    BOOST_TEST_REQUIRE(f.sequence() == sequence);
    BOOST_TEST_REQUIRE(f.size() == sc.sizes[sequence - 1]);
    const auto bad = patterns::first_frame_mismatch(f.bytes(), sequence);
    BOOST_TEST_REQUIRE(bad == f.size(), "frame " << sequence << " differs at byte " << bad);
}

// Reader side: an image copied into a live reader's segment, as if a writer
// had just committed D frames and posted a token for each.
void check_reader_shm(const std::string& scenario_name)
{
    const auto& sc = find_scenario(scenario_name);
    // The public reader starts at read position 0 expecting sequence 1.
    BOOST_TEST_REQUIRE(sc.frames_read_before_d() == 0U);
    zerobuffer::testing::buffer_naming_service names;
    const auto images = images_of(sc, false);
    BOOST_TEST_REQUIRE(!images.empty());
    for (const auto& n : images) {
        BOOST_TEST_CONTEXT(n.file)
        {
            const auto image = ts::load_image(n.file);
            BOOST_TEST_REQUIRE(ts::read_le64(image.span(), 0x38) == 0U); // read_pos
            const auto name =
                names.get_buffer_name("vector_" + n.scenario + "_" + n.writer + "_" + n.reader);
            zerobuffer::reader rd(name, vector_config());
            mapped_segment seg(name);
            BOOST_TEST_REQUIRE(seg.bytes().size() == segment_size);
            // Everything but our reader's pid; the writer is this (live) process.
            auto bytes = seg.bytes();
            std::memcpy(bytes.data(), image.data(), zp::oieb_offset::reader_pid);
            std::memcpy(bytes.data() + zp::oieb_offset::reserved,
                        image.data() + zp::oieb_offset::reserved,
                        segment_size - zp::oieb_offset::reserved);
            seg.oieb().store(zp::oieb_field::writer_pid, static_cast<std::uint64_t>(::getpid()),
                             std::memory_order_release);
            bip::named_semaphore sem_w(bip::open_only, ("sem-w-" + name).c_str());
            for (std::size_t i = 0; i < sc.d; ++i) {
                sem_w.post();
            }

            BOOST_TEST(as_string(rd.metadata()) == sc.metadata);
            for (std::uint64_t s = 1; s <= sc.d; ++s) {
                auto f = rd.read_frame(std::chrono::seconds(10));
                check_frame(f, sc, s);
                f.release();
            }
            BOOST_TEST(seg.oieb().load(zp::oieb_field::payload_free_bytes, relaxed) ==
                       payload_size);
            BOOST_TEST(rd.frames_read() == sc.d);
            const auto consumed = file_of(sc, n.writer, n.reader, true);
            if (sc.d == sc.sizes.size() && image_exists(consumed)) {
                check_same_image(*parse_image_name(consumed), seg.copy(), false);
            }
            // The stream is over: no token left, nothing more to read.
            boost::system::error_code ec;
            BOOST_TEST(!rd.try_read_frame(ec).valid());
        }
    }
}

// Writer side: a real reader and writer of this process replay the scenario.
replay_result replay_shm(const scenario& sc)
{
    zerobuffer::testing::buffer_naming_service names;
    const auto name = names.get_buffer_name("vector_replay_" + sc.name);
    zerobuffer::reader rd(name, vector_config());
    zerobuffer::writer wr(name);
    mapped_segment seg(name);
    if (!sc.metadata.empty()) {
        wr.set_metadata(bytes_of(sc.metadata));
    }
    std::uint64_t next_to_read = 1;
    std::uint64_t committed = 0;
    const auto drain = [&] {
        while (next_to_read <= committed) {
            auto f = rd.read_frame(std::chrono::seconds(10));
            check_frame(f, sc, next_to_read++);
        }
    };
    replay_result result;
    for (std::size_t i = 0; i < sc.sizes.size(); ++i) {
        if (i > 0 && sc.lockstep) {
            drain();
            BOOST_TEST_REQUIRE(seg.oieb().load(zp::oieb_field::payload_free_bytes, relaxed) ==
                               payload_size);
        }
        const std::uint64_t sequence = i + 1;
        if (sc.zero_copy) {
            auto buffer = wr.get_frame_buffer(sc.sizes[i]);
            BOOST_TEST_REQUIRE(buffer.size() == sc.sizes[i]);
            // Zero-copy: the buffer lies inside the writer's mapping of the segment.
            BOOST_TEST_REQUIRE(
                zerobuffer::test::inside_shm_mapping(buffer.data(), buffer.size(), name));
            patterns::fill_frame(buffer, sequence);
            wr.commit_frame();
        } else {
            wr.write_frame(patterns::frame_data(sc.sizes[i], sequence));
        }
        committed = sequence;
        if (sequence == sc.d) {
            result.at_d = seg.copy();
        }
    }
    drain();
    result.consumed = seg.copy();
    BOOST_TEST(wr.frames_written() == sc.sizes.size());
    return result;
}

void check_writer_shm(const std::string& scenario_name)
{
    const auto& sc = find_scenario(scenario_name);
    check_replay(sc, replay_shm(sc));
}

} // namespace

BOOST_AUTO_TEST_SUITE(vectors)

BOOST_AUTO_TEST_CASE(vector_images_are_all_known_and_complete)
{
    BOOST_TEST_MESSAGE("vectors directory: " << ts::vectors_dir());
    const auto images = all_images();
    BOOST_TEST(images.size() >= 25U);
    for (const auto& n : images) {
        BOOST_TEST_CONTEXT(n.file)
        {
            BOOST_TEST((n.writer == "cpp" || n.writer == "py"));
            BOOST_TEST((n.reader == "cpp" || n.reader == "py"));
            const auto image = ts::load_image(n.file);
            BOOST_TEST(image.size() == segment_size);
            const auto& sc = find_scenario(n.scenario);
            const auto written =
                ts::read_le64(image.span(), zp::oieb_offset::payload_written_count);
            BOOST_TEST(written >= (n.consumed ? sc.sizes.size() : sc.d));
        }
    }
    // Every scenario has the image our writer is compared with.
    for (const auto& sc : all_scenarios()) {
        BOOST_TEST(image_exists(file_of(sc, "cpp", "cpp", false)), sc.name);
    }
}

BOOST_AUTO_TEST_CASE(vector_dir_environment_variable_takes_precedence)
{
    const char* old = std::getenv("ZEROBUFFER_VECTORS_DIR");
    const std::string saved = old != nullptr ? old : "";
    ::setenv("ZEROBUFFER_VECTORS_DIR", "/nonexistent/zerobuffer-vectors", 1);
    const auto dir = ts::vectors_dir();
    if (old != nullptr) {
        ::setenv("ZEROBUFFER_VECTORS_DIR", saved.c_str(), 1);
    } else {
        ::unsetenv("ZEROBUFFER_VECTORS_DIR");
    }
    BOOST_TEST(dir == std::filesystem::path("/nonexistent/zerobuffer-vectors"));
    BOOST_TEST(ts::vectors_dir() != dir);
}

BOOST_AUTO_TEST_CASE(vector_image_diff_reports_the_first_difference)
{
    std::vector<std::byte> a(segment_size);
    auto b = a;
    BOOST_TEST(ts::first_difference(a, b).empty());
    b[0x58] = std::byte{1}; // reader_pid
    BOOST_TEST(!ts::first_difference(a, b).empty());
    BOOST_TEST(ts::first_difference_masked(a, b).empty());
    b[1152 + 20] = std::byte{7};
    const auto diff = ts::first_difference_masked(a, b);
    BOOST_TEST(diff.find("ring +20") != std::string::npos, diff);
    BOOST_TEST(diff.find("1 byte(s) differ") != std::string::npos, diff);
}

#define ZEROBUFFER_VECTOR_ENGINE_TESTS(sc)                                                         \
    BOOST_AUTO_TEST_CASE(c8_3_vector_reader_engine_##sc)                                           \
    {                                                                                              \
        check_reader_engine(#sc);                                                                  \
    }                                                                                              \
    BOOST_AUTO_TEST_CASE(c8_3_vector_writer_engine_##sc)                                           \
    {                                                                                              \
        check_writer_engine(#sc);                                                                  \
    }                                                                                              \
    BOOST_AUTO_TEST_CASE(c8_3_vector_writer_shm_##sc)                                              \
    {                                                                                              \
        check_writer_shm(#sc);                                                                     \
    }

ZEROBUFFER_VECTOR_ENGINE_TESTS(basic)
ZEROBUFFER_VECTOR_ENGINE_TESTS(wrap_marker)
ZEROBUFFER_VECTOR_ENGINE_TESTS(tail_lt16)
ZEROBUFFER_VECTOR_ENGINE_TESTS(tail_lt16_dirty)
ZEROBUFFER_VECTOR_ENGINE_TESTS(exact_end)
ZEROBUFFER_VECTOR_ENGINE_TESTS(exact_end_zc)

#undef ZEROBUFFER_VECTOR_ENGINE_TESTS

// The public reader starts at position 0 with sequence 1: the scenarios whose
// image has nothing read before D.
BOOST_AUTO_TEST_CASE(c8_3_vector_reader_shm_basic)
{
    check_reader_shm("basic");
}
BOOST_AUTO_TEST_CASE(vector_reader_shm_exact_end)
{
    check_reader_shm("exact_end");
}
BOOST_AUTO_TEST_CASE(vector_reader_shm_exact_end_zc)
{
    check_reader_shm("exact_end_zc");
}

BOOST_AUTO_TEST_SUITE_END()
