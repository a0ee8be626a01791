// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_FRAME_CHECK_HPP
#define ZEROBUFFER_TOOL_FRAME_CHECK_HPP

// What `read --verify` checks: every frame carries the test pattern of
// PROTOCOL.md section 9 for its sequence number, and the sequence numbers
// run 1, 2, 3, ... with no gap. Also how metadata is shown.

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace zerobuffer::tool {

class frame_checker {
public:
    bool enabled = false;

    /// Checks one frame (a no-op unless enabled).
    void check(std::span<const std::byte> data, std::uint64_t sequence);
    /// The reader reported a sequence error (a gap before the next frame).
    void sequence_gap();

    bool ok() const noexcept { return pattern_errors_ == 0 && sequence_errors_ == 0; }
    std::uint64_t frames() const noexcept { return frames_; }

    /// "all 1,000 frames match ..." or the counts and the first problems.
    std::string describe() const;
    /// {"ok":..,"frames":..,"pattern_errors":..,"sequence_errors":..,"problems":[..]}
    boost::json::object to_json() const;

private:
    void note(std::string problem);

    std::uint64_t frames_ = 0;
    std::uint64_t pattern_errors_ = 0;
    std::uint64_t sequence_errors_ = 0;
    std::optional<std::uint64_t> expected_; ///< empty after a gap: resynchronize
    bool gap_reported_ = false;
    std::vector<std::string> problems_; ///< the first few, for the report
};

/// Metadata as text when it is printable UTF-8, else as hex (at most 64 bytes shown).
std::string metadata_text(std::span<const std::byte> metadata);

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_FRAME_CHECK_HPP
