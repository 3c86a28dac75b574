#include "demo/demoworkspace.h"

#include "demo/demowarehouse.h"
#include "workspace/configio.h"

namespace sluice {

Result<std::string> setupDemoWorkspace(Workspace &workspace)
{
    const auto warehouse = workspace.baseDir() / "acme.db";
    std::error_code ec;
    const bool built = !std::filesystem::exists(warehouse, ec);
    if (built) {
        if (auto r = createDemoWarehouse(warehouse); !r)
            return std::unexpected(r.error());
    }
    auto config = demoWorkspaceConfig();
    if (!config)
        return std::unexpected(config.error());
    auto summary = importConfigText(workspace, *config);
    if (!summary)
        return std::unexpected(summary.error());
    std::string text = built ? "Built the Acme demo warehouse at " + warehouse.string() + ".\n"
                             : "The Acme demo warehouse is at " + warehouse.string() + ".\n";
    text += "Ready: " + std::to_string(summary->syncs.size()) + " demo syncs (";
    for (std::size_t i = 0; i < summary->syncs.size(); ++i)
        text += (i ? ", \"" : "\"") + summary->syncs[i] + "\"";
    text += ") writing CSV files to " + (workspace.baseDir() / "exports").string() + ".";
    return text;
}

std::filesystem::path defaultDemoWorkspacePath()
{
    return Workspace::defaultPath().parent_path() / "demo" / "workspace.sluice";
}

} // namespace sluice
