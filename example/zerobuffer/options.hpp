// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_OPTIONS_HPP
#define ZEROBUFFER_TOOL_OPTIONS_HPP

// Command-line parsing shared by the subcommands: a Boost.Program_options
// wrapper that adds --help, and parsers for the values the options take, all of
// which report a bad value as a `usage_error` naming the option.

#include <boost/program_options.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace zerobuffer::tool {

namespace po = boost::program_options;

/// Exit codes of every subcommand.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;       ///< a runtime error
inline constexpr int exit_usage = 2;         ///< a bad command line
inline constexpr int exit_interrupted = 130; ///< stopped by SIGINT or SIGTERM

/// The command line is wrong; the message says how. Exit code 2.
class usage_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What a subcommand says about itself in --help.
struct command_help {
    std::string_view name;     ///< "read"
    std::string_view synopsis; ///< "NAME [options]"
    std::string_view summary;  ///< one paragraph
    std::string_view examples; ///< lines of examples, may be empty
};

/// Parses `args` (the words after the subcommand) against `options` (shown
/// by --help), `hidden` (not shown: the positional arguments) and the
/// `positional` names. Adds --help to `options`: prints the help on stdout
/// and returns empty. Throws `usage_error` for unknown options, missing values
/// and the like.
std::optional<po::variables_map> parse_command(const command_help& help,
                                               po::options_description& options,
                                               const po::options_description& hidden,
                                               const po::positional_options_description& positional,
                                               const std::vector<std::string>& args);

/// The text --help prints.
std::string help_text(const command_help& help, const po::options_description& options);

/// The buffer name given as the positional NAME; `usage_error` when it is
/// missing or `zerobuffer::validate_name` rejects it.
std::string required_name(const po::variables_map& vm);
/// Checks a name (e.g. one from a list); `usage_error` when invalid.
void check_name(const std::string& name);

/// The string value of `key`, if given.
std::optional<std::string> string_option(const po::variables_map& vm, const std::string& key);

/// "4096", "64K", "1M", "1MiB", "2G": a byte count (binary units).
std::uint64_t parse_size(std::string_view option, std::string_view text);
/// A plain non-negative integer.
std::uint64_t parse_count(std::string_view option, std::string_view text);
/// Seconds: "3", "0.5", "250ms", "2s". Non-negative.
std::chrono::nanoseconds parse_seconds(std::string_view option, std::string_view text);
/// A non-negative decimal number.
double parse_number(std::string_view option, std::string_view text);
/// An octal file mode such as "0600" or "660".
unsigned parse_mode(std::string_view option, std::string_view text);

/// "4096" or "64..65536": an inclusive range of sizes, each at least 1.
struct size_range {
    std::uint64_t min = 0;
    std::uint64_t max = 0;
};
size_range parse_size_range(std::string_view option, std::string_view text);

/// "64,4096,1M": a list of sizes, each at least 1.
std::vector<std::uint64_t> parse_size_list(std::string_view option, std::string_view text);

/// "0,1": a list of CPU numbers.
std::vector<int> parse_cpu_list(std::string_view option, std::string_view text);

/// Seconds as a double, for output.
double to_seconds(std::chrono::nanoseconds d) noexcept;

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_OPTIONS_HPP
