// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer write NAME: attaches to a reader's buffer and writes frames:
// generated ones (--count, --size, --pattern) or a file's records (--input).

#include "attach.hpp"
#include "commands.hpp"
#include "frame_source.hpp"
#include "json_print.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "records.hpp"
#include "segment_view.hpp"
#include "stop_signal.hpp"

#include <zerobuffer/writer.hpp>

#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>

namespace zerobuffer::tool {

namespace {

const command_help write_help{
    "write", "NAME [options]",
    "Attaches to the buffer NAME that 'zerobuffer read NAME' (or any reader) created and\n"
    "writes frames: --count frames (default 1000) or for --seconds, of --size bytes\n"
    "(fixed or a random MIN..MAX), filled with --pattern; or the records of --input FILE.\n"
    "Detaches on exit (also on Ctrl-C). Exit code 0 on success, 1 on an error.",
    "  zerobuffer write demo --count 1000 --size 4K\n"
    "  zerobuffer write demo --size 64..65536 --seed 7 --rate 1000 --metadata 'hello'\n"
    "  zerobuffer write demo --seconds 5 --zero-copy --wait-for-reader 10\n"
    "  zerobuffer write demo --input frames.bin            # length-prefixed records\n"
    "  zerobuffer write demo --input data.raw --record-size 4096"};

struct write_settings {
    std::string name;
    std::uint64_t count = 0;              ///< 0: no limit
    std::chrono::nanoseconds duration{0}; ///< 0: no limit
    size_range sizes{1024, 1024};
    std::uint64_t seed = 1;
    double rate = 0; ///< frames per second, 0: as fast as possible
    fill_pattern pattern = fill_pattern::test;
    bool zero_copy = false;
    std::optional<std::vector<std::byte>> metadata;
    std::optional<std::string> input;
    std::uint64_t record_size = 0;
    std::chrono::nanoseconds wait_for_reader{0};
    std::chrono::nanoseconds timeout = std::chrono::seconds(5);
    bool json = false;
    bool quiet = false;
};

std::vector<std::byte> load_metadata(const std::string& text)
{
    if (!text.starts_with('@')) {
        const auto* p = reinterpret_cast<const std::byte*>(text.data());
        return {p, p + text.size()};
    }
    const std::string path = text.substr(1);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw usage_error("--metadata @" + path + ": cannot open " + path + ": " +
                          std::strerror(errno));
    }
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    const auto* p = reinterpret_cast<const std::byte*>(bytes.data());
    return {p, p + bytes.size()};
}

write_settings parse_settings(const po::variables_map& vm)
{
    write_settings s;
    s.name = required_name(vm);
    if (const auto v = string_option(vm, "count")) {
        s.count = parse_count("--count", *v);
        if (s.count == 0) {
            throw usage_error("--count must be at least 1");
        }
    }
    if (const auto v = string_option(vm, "seconds")) {
        s.duration = parse_seconds("--seconds", *v);
    }
    s.sizes = parse_size_range("--size", vm["size"].as<std::string>());
    s.seed = parse_count("--seed", vm["seed"].as<std::string>());
    if (const auto v = string_option(vm, "rate")) {
        s.rate = parse_number("--rate", *v);
    }
    s.pattern = parse_pattern(vm["pattern"].as<std::string>());
    s.zero_copy = vm.count("zero-copy") != 0;
    if (const auto v = string_option(vm, "metadata")) {
        s.metadata = load_metadata(*v);
    }
    s.input = string_option(vm, "input");
    if (const auto v = string_option(vm, "record-size")) {
        s.record_size = parse_size("--record-size", *v);
        if (s.record_size == 0) {
            throw usage_error("--record-size must be at least 1 byte");
        }
        if (!s.input) {
            throw usage_error("--record-size needs --input FILE");
        }
    }
    if (s.input && (vm.count("size") != 0 && !vm["size"].defaulted())) {
        throw usage_error("--size and --input exclude each other (records have their own sizes)");
    }
    if (const auto v = string_option(vm, "wait-for-reader")) {
        s.wait_for_reader = parse_seconds("--wait-for-reader", *v);
    }
    s.timeout = parse_seconds("--timeout", vm["timeout"].as<std::string>());
    s.json = vm.count("json") != 0;
    s.quiet = vm.count("quiet") != 0;
    if (s.count == 0 && s.duration.count() == 0 && !s.input) {
        s.count = 1000;
    }
    return s;
}

enum class end_reason { count, seconds, input_end, interrupted, reader_dead, failed };

std::string_view to_string(end_reason r)
{
    switch (r) {
    case end_reason::count: return "count";
    case end_reason::seconds: return "seconds";
    case end_reason::input_end: return "input_end";
    case end_reason::interrupted: return "interrupted";
    case end_reason::reader_dead: return "reader_dead";
    case end_reason::failed: return "error";
    }
    return "error";
}

/// Writes one frame, waiting for space up to `timeout` in short slices so
/// that Ctrl-C is seen.
boost::system::error_code write_one(writer& w, const write_settings& s,
                                    std::span<const std::byte> data)
{
    const auto give_up = clock_type::now() + s.timeout;
    for (;;) {
        boost::system::error_code ec;
        if (s.zero_copy) {
            const std::span<std::byte> area = w.get_frame_buffer(data.size(), ec);
            if (!ec) {
                std::memcpy(area.data(), data.data(), data.size());
                w.commit_frame(ec);
            }
        } else {
            w.write_frame(data, ec);
        }
        if (ec == errc::buffer_full && clock_type::now() < give_up && !stop_requested()) {
            continue;
        }
        return ec;
    }
}

struct write_result {
    transfer_totals totals;
    end_reason reason = end_reason::count;
    std::string error;
};

void print_json(const write_settings& s, const write_result& r)
{
    const boost::json::object o{
        {"command", "write"},
        {"name", s.name},
        {"frames", r.totals.frames},
        {"bytes", r.totals.bytes},
        {"seconds", r.totals.seconds},
        {"mib_per_s", r.totals.mib_per_second()},
        {"frames_per_s", r.totals.frames_per_second()},
        {"end", to_string(r.reason)},
        {"zero_copy", s.zero_copy},
        {"pattern", s.input ? std::string_view("input") : to_string(s.pattern)},
        {"metadata_bytes", s.metadata ? s.metadata->size() : std::size_t{0}},
        {"error", text_or_null(r.error)}};
    write_json(std::cout, o);
    std::cout << std::endl;
}

std::string describe(const boost::system::error_code& ec, const writer& w, std::size_t size)
{
    if (ec == errc::frame_too_large) {
        return "a frame of " + std::to_string(size) + " bytes does not fit this buffer (frames " +
               "up to " + std::to_string(w.max_frame_size()) + " bytes always fit)";
    }
    if (ec == errc::buffer_full) {
        return "no free space for a frame within --timeout (is the reader reading?)";
    }
    return ec.message();
}

writer connect(const std::string& name, const writer_options& options)
{
    try {
        return attach_writer(name, options);
    } catch (const no_reader&) {
        throw std::runtime_error("no reader has created the buffer '" + name +
                                 "': start 'zerobuffer read " + name +
                                 "' first, or pass --wait-for-reader SECONDS");
    }
}

} // namespace

int run_write(const arguments& args)
{
    po::options_description opts("options");
    {
        auto add = opts.add_options();
        add("count,n", po::value<std::string>()->value_name("N"),
            "frames to write (default 1000 unless --seconds or --input)");
        add("seconds", po::value<std::string>()->value_name("SECONDS"), "write for this long");
        add("size,s", po::value<std::string>()->value_name("SIZE")->default_value("1024"),
            "frame size in bytes, or MIN..MAX for random sizes (e.g. 64..64K)");
        add("seed", po::value<std::string>()->value_name("N")->default_value("1"),
            "seed of random sizes and data");
        add("rate", po::value<std::string>()->value_name("PER_SECOND"),
            "at most this many frames per second");
        add("pattern", po::value<std::string>()->value_name("KIND")->default_value("test"),
            "frame contents: test (what 'read --verify' checks), zeros or random");
        add("zero-copy",
            "reserve each frame in the ring and fill it there (get_frame_buffer/commit_frame)");
        add("metadata", po::value<std::string>()->value_name("TEXT|@FILE"),
            "store TEXT, or the contents of @FILE, as the buffer's metadata first");
        add("input,i", po::value<std::string>()->value_name("FILE"),
            "send FILE's records ('-': stdin): length-prefixed as 'read --output "
            "--length-prefixed' writes them");
        add("record-size", po::value<std::string>()->value_name("SIZE"),
            "with --input: cut FILE into records of this many bytes instead");
        add("wait-for-reader", po::value<std::string>()->value_name("SECONDS"),
            "wait this many seconds for the reader to create the buffer (default: fail at once)");
        add("timeout,t", po::value<std::string>()->value_name("SECONDS")->default_value("5"),
            "give up when the ring stays full this long (seconds)");
        add("json", "print a JSON summary on stdout");
        add("quiet,q", "no progress readout, no summary");
    }
    po::options_description hidden;
    {
        auto add = hidden.add_options();
        add("name", po::value<std::string>());
    }
    po::positional_options_description pos;
    pos.add("name", 1);

    const auto vm = parse_command(write_help, opts, hidden, pos, args);
    if (!vm) {
        return exit_ok;
    }
    const write_settings s = parse_settings(*vm);

    std::optional<record_reader> input;
    if (s.input) {
        input.emplace(file_handle::open(*s.input, false), s.record_size);
    }
    install_stop_handlers();
    writer_options wo;
    wo.connect_timeout = s.wait_for_reader;
    wo.write_timeout =
        std::min<std::chrono::nanoseconds>(s.timeout, std::chrono::milliseconds(200));
    writer w = connect(s.name, wo);
    if (s.metadata) {
        w.set_metadata(std::span<const std::byte>(*s.metadata));
    }
    if (!input && s.sizes.max > w.max_frame_size()) {
        throw std::runtime_error("--size " + std::to_string(s.sizes.max) +
                                 " is larger than this buffer's largest frame (" +
                                 std::to_string(w.max_frame_size()) +
                                 " bytes); use smaller frames or a larger --payload-size on the "
                                 "reader");
    }
    std::optional<frame_source> source;
    if (!input) {
        source.emplace(s.sizes, s.pattern, s.seed);
    }
    boost::system::error_code view_ec;
    const auto view = segment_view::open(s.name, view_ec); // for the readout's utilization
    const bool show = !s.quiet && stderr_is_terminal();
    progress_line progress("write " + s.name, show);

    write_result r;
    std::vector<std::byte> record;
    const auto start = clock_type::now();
    auto last = start;
    for (;;) {
        const auto now = clock_type::now();
        if (stop_requested()) {
            r.reason = end_reason::interrupted;
            break;
        }
        if (s.count != 0 && r.totals.frames >= s.count) {
            r.reason = end_reason::count;
            break;
        }
        if (s.duration.count() != 0 && now - start >= s.duration) {
            r.reason = end_reason::seconds;
            break;
        }
        std::span<const std::byte> data;
        const std::uint64_t sequence = r.totals.frames + 1;
        if (input) {
            try {
                if (!input->next(record)) {
                    r.reason = end_reason::input_end;
                    break;
                }
            } catch (const std::exception& e) {
                r.reason = end_reason::failed;
                r.error = e.what();
                break;
            }
            data = record;
        } else {
            data = source->contents(sequence, source->next_size());
        }
        if (s.rate > 0) {
            const auto due =
                start +
                std::chrono::duration_cast<clock_type::duration>(
                    std::chrono::duration<double>(static_cast<double>(r.totals.frames) / s.rate));
            std::this_thread::sleep_until(due);
        }
        if (const auto ec = write_one(w, s, data)) {
            r.reason = ec == errc::reader_dead ? end_reason::reader_dead
                       : stop_requested()      ? end_reason::interrupted
                                               : end_reason::failed;
            if (r.reason != end_reason::interrupted) {
                r.error =
                    ec == errc::reader_dead ? "the reader is gone" : describe(ec, w, data.size());
            }
            break;
        }
        ++r.totals.frames;
        r.totals.bytes += data.size();
        last = clock_type::now();
        if (progress.due(last)) {
            std::optional<double> util;
            if (view) {
                util = make_health(view->snapshot()).utilization;
            }
            progress.draw(last, r.totals.frames, r.totals.bytes, util);
        }
    }
    w.close();
    progress.clear();
    r.totals.seconds = to_seconds(last - start);
    if (s.json) {
        print_json(s, r);
    }
    if (!s.quiet && !s.json) {
        std::cerr << "zerobuffer write " << s.name << ": " << r.totals.describe()
                  << "; ended: " << to_string(r.reason) << '\n';
    }
    if (!r.error.empty()) {
        std::cerr << "zerobuffer write: error: " << r.error << '\n';
    }
    if (r.reason == end_reason::interrupted) {
        return exit_interrupted;
    }
    return r.reason == end_reason::reader_dead || r.reason == end_reason::failed ? exit_failure
                                                                                 : exit_ok;
}

} // namespace zerobuffer::tool
