#include "testutil.h"

#include <fstream>
#include <sstream>

namespace sluice::test {

std::string readFile(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const std::filesystem::path &path, const std::string &content)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
}

Value text(std::string_view s)
{
    Value v;
    v.setText(s);
    return v;
}

Value integer(std::int64_t i)
{
    Value v;
    v.setInteger(i);
    return v;
}

Value real(double d)
{
    Value v;
    v.setReal(d);
    return v;
}

Value null()
{
    return Value{};
}

} // namespace sluice::test
