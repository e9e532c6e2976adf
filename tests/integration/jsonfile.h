#pragma once

// Reads a JSON file that `nodescope record` wrote (a summary, a suspects
// report) for integration tests: its top-level object, or an empty one when
// the file is missing or not JSON, so the test's checks say what is missing.

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

inline QJsonObject readJson(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}
