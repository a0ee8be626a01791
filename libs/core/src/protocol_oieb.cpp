// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/protocol/oieb.hpp>

namespace zerobuffer::protocol {

oieb_snapshot take_snapshot(const oieb_ref& oieb) noexcept
{
    constexpr auto acq = std::memory_order_acquire;
    oieb_snapshot s;
    s.oieb_size = oieb.oieb_size();
    const std::uint32_t version = oieb.version_word();
    s.version_major = static_cast<std::uint8_t>(version & 0xffU);
    s.version_minor = static_cast<std::uint8_t>((version >> 8) & 0xffU);
    s.version_patch = static_cast<std::uint8_t>((version >> 16) & 0xffU);
    s.metadata_size = oieb.load(oieb_field::metadata_size, acq);
    s.metadata_free_bytes = oieb.load(oieb_field::metadata_free_bytes, acq);
    s.metadata_written_bytes = oieb.load(oieb_field::metadata_written_bytes, acq);
    s.payload_size = oieb.load(oieb_field::payload_size, acq);
    s.payload_free_bytes = oieb.load(oieb_field::payload_free_bytes, acq);
    s.payload_write_pos = oieb.load(oieb_field::payload_write_pos, acq);
    s.payload_read_pos = oieb.load(oieb_field::payload_read_pos, acq);
    s.payload_written_count = oieb.load(oieb_field::payload_written_count, acq);
    s.payload_read_count = oieb.load(oieb_field::payload_read_count, acq);
    s.writer_pid = oieb.load(oieb_field::writer_pid, acq);
    s.reader_pid = oieb.load(oieb_field::reader_pid, acq);
    return s;
}

void initialize_oieb(const oieb_ref& oieb, const segment_layout& layout,
                     std::uint64_t reader_pid) noexcept
{
    std::memset(oieb.data(), 0, oieb_size);
    const std::uint32_t size = oieb_size;
    const std::uint32_t version = std::uint32_t{version_major} |
                                  (std::uint32_t{version_minor} << 8) |
                                  (std::uint32_t{version_patch} << 16);
    std::memcpy(oieb.data() + oieb_offset::oieb_size, &size, sizeof size);
    std::memcpy(oieb.data() + oieb_offset::version, &version, sizeof version);
    constexpr auto rel = std::memory_order_release;
    oieb.store(oieb_field::metadata_size, layout.metadata_size, rel);
    oieb.store(oieb_field::metadata_free_bytes, layout.metadata_size, rel);
    oieb.store(oieb_field::payload_size, layout.payload_size, rel);
    oieb.store(oieb_field::payload_free_bytes, layout.payload_size, rel);
    oieb.store(oieb_field::reader_pid, reader_pid, rel);
}

boost::system::error_code validate_oieb(const oieb_snapshot& s, std::uint64_t segment_size,
                                        segment_layout& layout) noexcept
{
    if (s.oieb_size != oieb_size) {
        return errc::corrupted_buffer;
    }
    if (s.version_major != version_major) {
        return errc::incompatible_version;
    }
    const std::uint64_t m = s.metadata_size;
    const std::uint64_t p = s.payload_size;
    if (m > max_block_size || p > max_block_size || p == 0 || m % block_alignment != 0 ||
        p % block_alignment != 0 || oieb_size + m + p != segment_size) {
        return errc::corrupted_buffer;
    }
    if (s.metadata_written_bytes > m || s.metadata_free_bytes > m || s.payload_free_bytes > p ||
        s.payload_write_pos > p || s.payload_read_pos > p) {
        return errc::corrupted_buffer;
    }
    layout = segment_layout{m, p};
    return {};
}

} // namespace zerobuffer::protocol
