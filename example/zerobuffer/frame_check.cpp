// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "frame_check.hpp"

#include "progress.hpp"
#include "utf8.hpp"

#include <zerobuffer/testing/test_data_patterns.hpp>

#include <boost/json/array.hpp>

#include <cstdio>
#include <utility>

namespace zerobuffer::tool {

namespace {
constexpr std::size_t max_problems = 5;
}

void frame_checker::note(std::string problem)
{
    if (problems_.size() < max_problems) {
        problems_.push_back(std::move(problem));
    }
}

void frame_checker::check(std::span<const std::byte> data, std::uint64_t sequence)
{
    if (!enabled) {
        return;
    }
    ++frames_;
    if (expected_ && sequence != *expected_ && !gap_reported_) {
        ++sequence_errors_;
        note("frame " + std::to_string(frames_) + ": sequence " + std::to_string(sequence) +
             ", expected " + std::to_string(*expected_));
    } else if (!expected_ && frames_ == 1 && sequence != 1) {
        ++sequence_errors_;
        note("first frame has sequence " + std::to_string(sequence) + ", expected 1");
    }
    gap_reported_ = false;
    expected_ = sequence + 1;

    using testing::test_data_patterns;
    const std::size_t bad = test_data_patterns::first_frame_mismatch(data, sequence);
    if (bad != data.size()) {
        ++pattern_errors_;
        char buf[160];
        std::snprintf(buf, sizeof buf,
                      "frame sequence %llu (%zu bytes): byte %zu is 0x%02x, expected 0x%02x",
                      static_cast<unsigned long long>(sequence), data.size(), bad,
                      static_cast<unsigned>(data[bad]),
                      static_cast<unsigned>(test_data_patterns::frame_byte(bad, sequence)));
        note(buf);
    }
}

void frame_checker::sequence_gap()
{
    if (!enabled) {
        return;
    }
    ++sequence_errors_;
    note("the reader reported a gap in the sequence after " +
         (expected_ ? std::to_string(*expected_ - 1) : std::string("the start")));
    gap_reported_ = true; // the frame after the gap is not a second error
}

std::string frame_checker::describe() const
{
    if (ok()) {
        return "all " + format_count(frames_) +
               " frames match the test pattern, sequence numbers continuous";
    }
    std::string s = format_count(pattern_errors_) + " frame(s) with a wrong pattern, " +
                    format_count(sequence_errors_) + " sequence error(s) in " +
                    format_count(frames_) + " frames";
    for (const auto& p : problems_) {
        s += "\n    " + p;
    }
    return s;
}

boost::json::object frame_checker::to_json() const
{
    boost::json::array problems;
    for (const auto& p : problems_) {
        problems.emplace_back(p);
    }
    return {{"ok", ok()},
            {"frames", frames_},
            {"pattern_errors", pattern_errors_},
            {"sequence_errors", sequence_errors_},
            {"problems", std::move(problems)}};
}

std::string metadata_text(std::span<const std::byte> metadata)
{
    bool printable = is_utf8(metadata);
    for (const std::byte b : metadata) {
        const auto c = static_cast<unsigned char>(b);
        if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f) {
            printable = false;
        }
    }
    if (printable) {
        return std::string(reinterpret_cast<const char*>(metadata.data()), metadata.size());
    }
    std::string hex = "hex";
    char buf[4];
    for (std::size_t i = 0; i < metadata.size() && i < 64; ++i) {
        std::snprintf(buf, sizeof buf, " %02x", static_cast<unsigned>(metadata[i]));
        hex += buf;
    }
    if (metadata.size() > 64) {
        hex += " ...";
    }
    return hex;
}

} // namespace zerobuffer::tool
