// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_PROGRESS_HPP
#define ZEROBUFFER_TOOL_PROGRESS_HPP

// What read and write show while they run: on a terminal a one-line readout on
// stderr, redrawn a few times per second; and the numbers of the summary.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace zerobuffer::tool {

using clock_type = std::chrono::steady_clock;

/// True when stderr is a terminal.
bool stderr_is_terminal() noexcept;

/// "512 B", "4.0 KiB", "1.5 MiB", "2.00 GiB".
std::string format_bytes(double bytes);
/// "1,234,567".
std::string format_count(std::uint64_t n);

/// Frames and bytes moved in some seconds, with the rates derived from them.
struct transfer_totals {
    std::uint64_t frames = 0;
    std::uint64_t bytes = 0;
    double seconds = 0; ///< from the first frame to the last

    double mib_per_second() const noexcept;
    double frames_per_second() const noexcept;
    /// "1,000 frames, 3.9 MiB in 0.52 s (7.5 MiB/s, 1,923 frames/s)".
    std::string describe() const;
};

/// The live one-line readout. Redraws at most `interval` apart, only when
/// `live` (normally: stderr is a terminal and --quiet was not given).
class progress_line {
public:
    progress_line(std::string label, bool live,
                  std::chrono::milliseconds interval = std::chrono::milliseconds(250));
    progress_line(const progress_line&) = delete;
    progress_line& operator=(const progress_line&) = delete;
    ~progress_line();

    bool live() const noexcept { return live_; }

    /// True when a redraw is due at `now`; callers fetch costly figures
    /// (utilization) only then.
    bool due(clock_type::time_point now) const noexcept { return live_ && now >= next_; }

    /// Redraws the line: totals, the rate since the previous redraw, and the
    /// ring utilization when known.
    void draw(clock_type::time_point now, std::uint64_t frames, std::uint64_t bytes,
              std::optional<double> utilization);

    /// Erases the line (so that a summary can take its place). Idempotent.
    void clear();

private:
    std::string label_;
    bool live_;
    std::chrono::milliseconds interval_;
    clock_type::time_point next_;
    clock_type::time_point last_time_;
    std::uint64_t last_bytes_ = 0;
    bool drawn_ = false;
};

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_PROGRESS_HPP
