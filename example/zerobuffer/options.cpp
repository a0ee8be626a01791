// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "options.hpp"

#include <zerobuffer/resources.hpp>

#include <cctype>
#include <charconv>
#include <cmath>
#include <iostream>
#include <limits>
#include <sstream>

namespace zerobuffer::tool {

namespace {

[[noreturn]] void bad_value(std::string_view option, std::string_view text, std::string_view want)
{
    throw usage_error("invalid value '" + std::string(text) + "' for " + std::string(option) +
                      ": " + std::string(want));
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

/// Splits "a,b,c" into its non-empty parts.
std::vector<std::string_view> split_list(std::string_view text)
{
    std::vector<std::string_view> parts;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t end = std::min(text.find(',', pos), text.size());
        parts.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    return parts;
}

} // namespace

std::string help_text(const command_help& help, const po::options_description& options)
{
    std::ostringstream out;
    out << "usage: zerobuffer " << help.name;
    if (!help.synopsis.empty()) {
        out << ' ' << help.synopsis;
    }
    out << "\n\n" << help.summary << "\n\n" << options;
    if (!help.examples.empty()) {
        out << "\nexamples:\n" << help.examples;
        if (!help.examples.ends_with('\n')) {
            out << '\n';
        }
    }
    return out.str();
}

std::optional<po::variables_map> parse_command(const command_help& help,
                                               po::options_description& options,
                                               const po::options_description& hidden,
                                               const po::positional_options_description& positional,
                                               const std::vector<std::string>& args)
{
    options.add_options()("help,h", "show this help and exit");
    po::options_description all;
    all.add(options).add(hidden);

    po::variables_map vm;
    try {
        // No guessing: an abbreviation of an option is an unknown option.
        const int style =
            po::command_line_style::unix_style ^ po::command_line_style::allow_guessing;
        po::store(
            po::command_line_parser(args).options(all).positional(positional).style(style).run(),
            vm);
        po::notify(vm);
    } catch (const po::too_many_positional_options_error&) {
        throw usage_error("too many arguments");
    } catch (const po::error& e) {
        throw usage_error(e.what());
    }
    if (vm.count("help") != 0) {
        std::cout << help_text(help, options);
        return std::nullopt;
    }
    return vm;
}

void check_name(const std::string& name)
{
    if (validate_name(name)) {
        throw usage_error("invalid buffer name '" + name + "': a name is 1 to " +
                          std::to_string(max_name_length) +
                          " bytes of UTF-8 with no '/' and no control characters, "
                          "and not '.' or '..'");
    }
}

std::string required_name(const po::variables_map& vm)
{
    if (vm.count("name") == 0) {
        throw usage_error("missing buffer NAME");
    }
    std::string name = vm["name"].as<std::string>();
    check_name(name);
    return name;
}

std::optional<std::string> string_option(const po::variables_map& vm, const std::string& key)
{
    if (vm.count(key) == 0) {
        return std::nullopt;
    }
    return vm[key].as<std::string>();
}

std::uint64_t parse_count(std::string_view option, std::string_view text)
{
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
        bad_value(option, text, "expected a non-negative integer");
    }
    return v;
}

std::uint64_t parse_size(std::string_view option, std::string_view text)
{
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end == text.data()) {
        bad_value(option, text, "expected a size such as 4096, 64K or 1M");
    }
    const std::string unit =
        lower(std::string_view(end, static_cast<std::size_t>(text.data() + text.size() - end)));
    unsigned shift = 0;
    if (unit.empty() || unit == "b") {
        shift = 0;
    } else if (unit == "k" || unit == "kb" || unit == "kib") {
        shift = 10;
    } else if (unit == "m" || unit == "mb" || unit == "mib") {
        shift = 20;
    } else if (unit == "g" || unit == "gb" || unit == "gib") {
        shift = 30;
    } else {
        bad_value(option, text, "unknown unit (use K, M or G: powers of 1024)");
    }
    if (shift != 0 && v > (std::numeric_limits<std::uint64_t>::max() >> shift)) {
        bad_value(option, text, "too large");
    }
    return v << shift;
}

double parse_number(std::string_view option, std::string_view text)
{
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() ||
        !std::isfinite(v) || v < 0) {
        bad_value(option, text, "expected a non-negative number");
    }
    return v;
}

std::chrono::nanoseconds parse_seconds(std::string_view option, std::string_view text)
{
    double scale = 1.0;
    std::string_view number = text;
    if (text.ends_with("ms")) {
        scale = 1e-3;
        number.remove_suffix(2);
    } else if (text.ends_with("s")) {
        number.remove_suffix(1);
    }
    double v = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (number.empty() || ec != std::errc{} || end != number.data() + number.size() ||
        !std::isfinite(v) || v < 0 || v * scale > 1e9) {
        bad_value(option, text, "expected seconds such as 3, 0.5 or 250ms");
    }
    return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(v * scale * 1e9)));
}

unsigned parse_mode(std::string_view option, std::string_view text)
{
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, 8);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v > 07777) {
        bad_value(option, text, "expected an octal mode such as 0600 or 0666");
    }
    return v;
}

size_range parse_size_range(std::string_view option, std::string_view text)
{
    size_range r;
    if (const auto dots = text.find(".."); dots != std::string_view::npos) {
        r.min = parse_size(option, text.substr(0, dots));
        r.max = parse_size(option, text.substr(dots + 2));
    } else {
        r.min = r.max = parse_size(option, text);
    }
    if (r.min == 0) {
        bad_value(option, text, "a frame holds at least 1 byte");
    }
    if (r.max < r.min) {
        bad_value(option, text, "the range is empty (MIN..MAX with MIN <= MAX)");
    }
    return r;
}

std::vector<std::uint64_t> parse_size_list(std::string_view option, std::string_view text)
{
    std::vector<std::uint64_t> sizes;
    for (const std::string_view part : split_list(text)) {
        const std::uint64_t s = parse_size(option, part);
        if (s == 0) {
            bad_value(option, text, "sizes are at least 1 byte");
        }
        sizes.push_back(s);
    }
    return sizes;
}

std::vector<int> parse_cpu_list(std::string_view option, std::string_view text)
{
    std::vector<int> cpus;
    for (const std::string_view part : split_list(text)) {
        const std::uint64_t c = parse_count(option, part);
        if (c >= 1024) {
            bad_value(option, text, "CPU numbers are below 1024");
        }
        cpus.push_back(static_cast<int>(c));
    }
    return cpus;
}

double to_seconds(std::chrono::nanoseconds d) noexcept
{
    return std::chrono::duration<double>(d).count();
}

} // namespace zerobuffer::tool
