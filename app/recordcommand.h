#pragma once

#include <QStringList>

// `nodescope record --pid PID --csv FILE [...]`
int runRecordCommand(const QStringList& arguments);
