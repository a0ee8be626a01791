// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "json_print.hpp"

#include "utf8.hpp"

#include <boost/json/serialize.hpp>

#include <cmath>
#include <cstdio>
#include <span>

namespace zerobuffer::tool {

namespace {

void write_string(std::ostream& out, boost::json::string_view s)
{
    if (is_utf8(std::as_bytes(std::span(s.data(), s.size())))) {
        out << boost::json::serialize(s);
    } else {
        out << boost::json::serialize(utf8_or_latin1(s));
    }
}

void write_double(std::ostream& out, double d)
{
    if (!std::isfinite(d)) {
        out << "null";
        return;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", d);
    out << buf;
}

} // namespace

void write_json(std::ostream& out, const boost::json::value& v)
{
    switch (v.kind()) {
    case boost::json::kind::object: {
        out << '{';
        bool first = true;
        for (const auto& member : v.get_object()) {
            if (!first) {
                out << ',';
            }
            first = false;
            write_string(out, member.key());
            out << ':';
            write_json(out, member.value());
        }
        out << '}';
        break;
    }
    case boost::json::kind::array: {
        out << '[';
        bool first = true;
        for (const auto& element : v.get_array()) {
            if (!first) {
                out << ',';
            }
            first = false;
            write_json(out, element);
        }
        out << ']';
        break;
    }
    case boost::json::kind::string: write_string(out, v.get_string()); break;
    case boost::json::kind::double_: write_double(out, v.get_double()); break;
    default: // null, bool, int64, uint64
        out << boost::json::serialize(v);
        break;
    }
}

} // namespace zerobuffer::tool
