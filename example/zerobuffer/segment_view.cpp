// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "segment_view.hpp"

#include <zerobuffer/protocol/layout.hpp>

#include <boost/interprocess/exceptions.hpp>

#include <cerrno>
#include <climits>
#include <csignal>

namespace zerobuffer::tool {

namespace bip = boost::interprocess;

bool pid_alive(std::uint64_t pid) noexcept
{
    // A pid from shared memory is untrusted: 0 or -1 would make kill() address
    // a process group or every process.
    if (pid == 0 || pid > static_cast<std::uint64_t>(INT_MAX)) {
        return false;
    }
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::optional<segment_view> segment_view::open(const std::string& name,
                                               boost::system::error_code& ec)
{
    ec = {};
    segment_view v;
    try {
        v.object_ = bip::shared_memory_object(bip::open_only, ("/" + name).c_str(), bip::read_only);
        bip::offset_t size = 0;
        if (!v.object_.get_size(size) || size <= 0) {
            ec.assign(EINVAL, boost::system::generic_category());
            return std::nullopt;
        }
        v.region_ = bip::mapped_region(v.object_, bip::read_only);
    } catch (const bip::interprocess_exception& e) {
        const int err = e.get_native_error();
        ec.assign(err != 0 ? err : EIO, boost::system::generic_category());
        return std::nullopt;
    }
    return v;
}

protocol::oieb_snapshot segment_view::snapshot() const noexcept
{
    // take_snapshot only loads; the mapping is read-only, so nothing here can store.
    auto* base = static_cast<std::byte*>(region_.get_address());
    return protocol::take_snapshot(protocol::oieb_ref(base));
}

segment_status examine(const segment_view& view)
{
    segment_status s;
    s.segment_size = view.size();
    if (view.size() < protocol::oieb_size) {
        s.problem = "segment of " + std::to_string(view.size()) +
                    " bytes is smaller than an OIEB (being created?)";
        return s;
    }
    s.oieb = view.snapshot();
    s.health = make_health(s.oieb);
    s.reader_alive = pid_alive(s.oieb.reader_pid);
    s.writer_alive = pid_alive(s.oieb.writer_pid);
    if (s.oieb.metadata_written_bytes >= protocol::metadata_prefix_size) {
        s.metadata_length = s.oieb.metadata_written_bytes - protocol::metadata_prefix_size;
    }
    protocol::segment_layout layout;
    const boost::system::error_code ec = protocol::validate_oieb(s.oieb, view.size(), layout);
    if (ec) {
        s.problem = s.oieb.oieb_size == 0 ? "OIEB not initialized yet" : ec.message();
        return s;
    }
    s.valid = true;
    return s;
}

std::span<const std::byte> metadata_of(const segment_view& view, const segment_status& status)
{
    if (!status.valid || status.metadata_length == 0 ||
        status.oieb.metadata_written_bytes > status.oieb.metadata_size) {
        return {};
    }
    const std::size_t start = protocol::oieb_size + protocol::metadata_prefix_size;
    return view.bytes().subspan(start, static_cast<std::size_t>(status.metadata_length));
}

std::string segment_path(const std::string& name)
{
    return "/dev/shm/" + name;
}

} // namespace zerobuffer::tool
