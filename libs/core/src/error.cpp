// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/error.hpp>

#include <ostream>

namespace zerobuffer {
namespace {

class category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "zerobuffer"; }

    std::string message(int ev) const override
    {
        switch (static_cast<errc>(ev)) {
        case errc::writer_dead: return "writer process died";
        case errc::writer_disconnected: return "writer disconnected";
        case errc::reader_dead: return "reader process died";
        case errc::buffer_full: return "buffer full: no space freed before the write timeout";
        case errc::frame_too_large: return "frame too large for the ring";
        case errc::invalid_frame_size: return "invalid frame size (frames must not be empty)";
        case errc::sequence_error: return "unexpected frame sequence number";
        case errc::metadata_already_written: return "metadata already written";
        case errc::metadata_too_large: return "metadata too large for the metadata block";
        case errc::corrupted_buffer: return "corrupted buffer: shared memory out of protocol range";
        case errc::incompatible_version: return "incompatible protocol version";
        case errc::no_reader: return "no live reader for this buffer";
        case errc::writer_already_connected: return "another writer is already connected";
        case errc::reader_already_exists: return "a live reader already owns this buffer";
        case errc::invalid_name: return "invalid buffer name";
        case errc::invalid_config: return "invalid buffer configuration";
        case errc::invalid_state: return "operation not valid in the current state";
        case errc::timed_out: return "timed out";
        }
        return "unknown zerobuffer error";
    }
};

template <class E>
[[noreturn]] void throw_as(const boost::system::error_code& ec, const std::string& what)
{
    throw E(ec, what);
}

} // namespace

std::string_view to_string(errc e) noexcept
{
    switch (e) {
    case errc::writer_dead: return "writer_dead";
    case errc::writer_disconnected: return "writer_disconnected";
    case errc::reader_dead: return "reader_dead";
    case errc::buffer_full: return "buffer_full";
    case errc::frame_too_large: return "frame_too_large";
    case errc::invalid_frame_size: return "invalid_frame_size";
    case errc::sequence_error: return "sequence_error";
    case errc::metadata_already_written: return "metadata_already_written";
    case errc::metadata_too_large: return "metadata_too_large";
    case errc::corrupted_buffer: return "corrupted_buffer";
    case errc::incompatible_version: return "incompatible_version";
    case errc::no_reader: return "no_reader";
    case errc::writer_already_connected: return "writer_already_connected";
    case errc::reader_already_exists: return "reader_already_exists";
    case errc::invalid_name: return "invalid_name";
    case errc::invalid_config: return "invalid_config";
    case errc::invalid_state: return "invalid_state";
    case errc::timed_out: return "timed_out";
    }
    return "unknown";
}

std::ostream& operator<<(std::ostream& os, errc e)
{
    return os << to_string(e);
}

const boost::system::error_category& error_category() noexcept
{
    static const category_impl instance;
    return instance;
}

void throw_error(const boost::system::error_code& ec, const std::string& what)
{
    if (ec.category() != error_category()) {
        throw_as<error>(ec, what);
    }
    switch (static_cast<errc>(ec.value())) {
    case errc::writer_dead: throw_as<writer_dead>(ec, what);
    case errc::writer_disconnected: throw_as<writer_disconnected>(ec, what);
    case errc::reader_dead: throw_as<reader_dead>(ec, what);
    case errc::buffer_full: throw_as<buffer_full>(ec, what);
    case errc::frame_too_large: throw_as<frame_too_large>(ec, what);
    case errc::invalid_frame_size: throw_as<invalid_frame_size>(ec, what);
    case errc::sequence_error: throw_as<sequence_error>(ec, what);
    case errc::metadata_already_written: throw_as<metadata_already_written>(ec, what);
    case errc::metadata_too_large: throw_as<metadata_too_large>(ec, what);
    case errc::corrupted_buffer: throw_as<corrupted_buffer>(ec, what);
    case errc::incompatible_version: throw_as<incompatible_version>(ec, what);
    case errc::no_reader: throw_as<no_reader>(ec, what);
    case errc::writer_already_connected: throw_as<writer_already_connected>(ec, what);
    case errc::reader_already_exists: throw_as<reader_already_exists>(ec, what);
    case errc::invalid_name: throw_as<invalid_name>(ec, what);
    case errc::invalid_config: throw_as<invalid_config>(ec, what);
    case errc::invalid_state: throw_as<invalid_state>(ec, what);
    case errc::timed_out: break;
    }
    throw_as<error>(ec, what);
}

} // namespace zerobuffer
