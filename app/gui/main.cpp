// sluice: the desktop app. Parses the command line, loads translations and opens the window.

#include "mainwindow.h"
#include "workspace/workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    // No organisation name: data goes to ~/.local/share/Sluice, where sluice-cli looks too.
    QApplication::setApplicationName("Sluice");
    QApplication::setApplicationVersion(SLUICE_VERSION);

    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), "qtbase", "_",
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator sluiceTranslator;
    if (sluiceTranslator.load(QLocale(), "sluice", "_", ":/i18n"))
        QApplication::installTranslator(&sluiceTranslator);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Sluice sends the rows of your warehouse to the apps "
                                        "where your teams work."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption workspaceOption(
        "workspace", QApplication::translate("main", "Open the workspace file <path>."),
        QApplication::translate("main", "path"));
    const QCommandLineOption demoOption(
        "demo", QApplication::translate("main", "Open the demo workspace, creating it if needed."));
    parser.addOptions({workspaceOption, demoOption});
    parser.process(app);
    QString problem;
    if (parser.isSet(workspaceOption) && parser.isSet(demoOption))
        problem = QApplication::translate("main", "Use either --workspace or --demo, not both.");
    else if (!parser.positionalArguments().isEmpty())
        problem = QApplication::translate("main", "Unexpected argument: %1")
                      .arg(parser.positionalArguments().constFirst());
    if (!problem.isEmpty()) {
        std::fputs(qPrintable(problem + "\n\n" + parser.helpText()), stderr);
        return 1;
    }

    sluice::MainWindow window;
    window.show();
    if (parser.isSet(demoOption))
        window.openDemoWorkspace();
    else if (parser.isSet(workspaceOption))
        window.openWorkspace(parser.value(workspaceOption).toStdString());
    else
        window.openWorkspace(sluice::Workspace::defaultPath());
    return QApplication::exec();
}
