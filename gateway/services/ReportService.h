// The creditor's reports to download (issue 14 item 2): dossiers, payments, payouts and KPIs for a
// period, as CSV or XLSX, of the signed-in creditor's own data only (staff: NotFound, they have
// other tools). Rows are read in keyset pages of 1000 in one read transaction and written as they
// come (XLSX in libxlsxwriter's constant-memory mode), at most kMaxReportRows rows per file.
// Also the bulk upload template (CSV and XLSX) with one example row.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/DossierQueries.h"

#include <cstddef>
#include <string>

namespace duegate::services {

inline constexpr std::size_t kMaxReportRows = 100000;

struct Download {
    std::string filename, contentType, bytes;
};

// report: dossiers | payments | payouts | kpis; from/to YYYY-MM-DD inclusive (at most 3 years
// apart); format: csv | xlsx. Throws InputError naming the field, NotFound for staff.
Download buildReport(Context& ctx, const Principal& who, const std::string& report, const std::string& from,
                     const std::string& to, const std::string& format);

// The bulk invoice template (parsers/invoice/BulkTemplate.h columns) with an example row.
Download bulkTemplate(const std::string& format);

}  // namespace duegate::services
