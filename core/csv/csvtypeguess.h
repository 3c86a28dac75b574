#pragma once
// Guesses a CSV column's type from sample values, and turns CSV text into a Value by that type.
// CSV carries no types, so a column is called Integer, Real, Boolean, Date or DateTime only
// when every non-empty sample value reads as one; anything doubtful stays Text, because a
// wrong number type loses data (zip code "02134" must not become 2134).

#include "data/value.h"

#include <string_view>

namespace sluice {

class CsvTypeGuess
{
public:
    // Empty values (NULL or "") say nothing about the type and are ignored.
    void add(std::string_view text);
    // Text when no value was seen or the values disagree.
    ColumnType type() const;

private:
    unsigned m_possible = ~0u; // bit set of the types every value so far fits
    bool m_sawValue = false;
};

// An unquoted empty field is NULL and a quoted one ("") the empty string, in every column.
// Integer and Real columns give numbers where the text reads as one and Text where it does not
// (a value after the sample need not fit the guess: it is kept, not rejected); every other
// type gives Text, which destinations parse with their own rules.
void csvFieldToValue(ColumnType type, std::string_view text, bool quoted, Value &out);

} // namespace sluice
