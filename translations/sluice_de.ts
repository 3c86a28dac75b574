<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>RunDisplay</name>
    <message>
        <location filename="../ui/rundisplay.cpp" line="23"/>
        <source>Never run</source>
        <translation>Noch nie gelaufen</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="26"/>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="28"/>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="30"/>
        <source>Partly rejected</source>
        <translation>Teilweise abgelehnt</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="32"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="34"/>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="92"/>
        <source>Today %1</source>
        <translation>Heute %1</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="94"/>
        <source>Yesterday %1</source>
        <translation>Gestern %1</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="108"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="110"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="113"/>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="114"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="121"/>
        <source>Insert</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="123"/>
        <source>Update</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="125"/>
        <source>Upsert</source>
        <translation>Upsert</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="127"/>
        <source>Mirror</source>
        <translation>Spiegeln</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="138"/>
        <source>“%1” succeeded: %2 added, %3 changed, %4 removed, %5 unchanged.</source>
        <translation>„%1“ erfolgreich: %2 hinzugefügt, %3 geändert, %4 entfernt, %5 unverändert.</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="142"/>
        <source>“%1” finished with problems: %2 added, %3 changed, %4 removed. %5</source>
        <translation>„%1“ mit Problemen beendet: %2 hinzugefügt, %3 geändert, %4 entfernt. %5</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="146"/>
        <source>“%1”: %2</source>
        <translation>„%1“: %2</translation>
    </message>
    <message>
        <location filename="../ui/rundisplay.cpp" line="151"/>
        <source>“%1” failed: %2</source>
        <translation>„%1“ fehlgeschlagen: %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui/main.cpp" line="31"/>
        <source>Sluice sends the rows of your warehouse to the apps where your teams work.</source>
        <translation>Sluice schickt die Zeilen Ihres Data Warehouse in die Anwendungen, mit denen Ihre Teams arbeiten.</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="36"/>
        <source>Open the workspace file &lt;path&gt;.</source>
        <translation>Die Arbeitsbereich-Datei &lt;Pfad&gt; öffnen.</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="37"/>
        <source>path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="39"/>
        <source>Open the demo workspace, creating it if needed.</source>
        <translation>Den Demo-Arbeitsbereich öffnen und bei Bedarf anlegen.</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="44"/>
        <source>Use either --workspace or --demo, not both.</source>
        <translation>Verwenden Sie entweder --workspace oder --demo, nicht beides.</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="46"/>
        <source>Unexpected argument: %1</source>
        <translation>Unerwartetes Argument: %1</translation>
    </message>
</context>
<context>
    <name>sluice::DryRunDialog</name>
    <message>
        <location filename="../ui/dryrundialog.cpp" line="17"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../ui/dryrundialog.cpp" line="18"/>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/dryrundialog.cpp" line="18"/>
        <source>Change</source>
        <translation>Ändern</translation>
    </message>
    <message>
        <location filename="../ui/dryrundialog.cpp" line="52"/>
        <source>Dry run of “%1”</source>
        <translation>Probelauf von „%1“</translation>
    </message>
    <message>
        <location filename="../ui/dryrundialog.cpp" line="55"/>
        <source>Nothing was written. A run now would add %1, change %2 and remove %3 records; %4 are unchanged.</source>
        <translation>Es wurde nichts geschrieben. Ein Lauf würde jetzt %1 Datensätze hinzufügen, %2 ändern und %3 entfernen; %4 sind unverändert.</translation>
    </message>
    <message>
        <location filename="../ui/dryrundialog.cpp" line="60"/>
        <source>%1 changed rows are skipped: this sync&apos;s mode never updates.</source>
        <translation>%1 geänderte Zeilen werden übersprungen: Der Modus dieser Synchronisation aktualisiert nie.</translation>
    </message>
    <message>
        <location filename="../ui/dryrundialog.cpp" line="63"/>
        <source>%1 rows cannot be sent as they are.</source>
        <translation>%1 Zeilen können so nicht gesendet werden.</translation>
    </message>
    <message>
        <location filename="../ui/dryrundialog.cpp" line="27"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location filename="../ui/dryrundialog.cpp" line="27"/>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <location filename="../ui/dryrundialog.cpp" line="75"/>
        <source>There is nothing else to send.</source>
        <translation>Sonst gibt es nichts zu senden.</translation>
    </message>
    <message>
        <location filename="../ui/dryrundialog.cpp" line="76"/>
        <source>There is nothing to send: the destination is up to date.</source>
        <translation>Es gibt nichts zu senden: Das Ziel ist auf dem neuesten Stand.</translation>
    </message>
    <message>
        <location filename="../ui/dryrundialog.cpp" line="80"/>
        <source>Examples of the records a run would send:</source>
        <translation>Beispiele der Datensätze, die ein Lauf senden würde:</translation>
    </message>
</context>
<context>
    <name>sluice::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="36"/>
        <source>Sluice</source>
        <translation>Sluice</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="83"/>
        <source>&amp;Open workspace…</source>
        <translation>Arbeitsbereich &amp;öffnen…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="85"/>
        <source>Open the &amp;demo workspace</source>
        <translation>&amp;Demo-Arbeitsbereich öffnen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="87"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="89"/>
        <source>Re&amp;fresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="91"/>
        <source>&amp;Run now</source>
        <translation>Jetzt aus&amp;führen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="93"/>
        <source>Send the selected sync&apos;s changes to its destination now</source>
        <translation>Die Änderungen der gewählten Synchronisation jetzt an ihr Ziel senden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="95"/>
        <source>&amp;Dry run</source>
        <translation>&amp;Probelauf</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="97"/>
        <source>Show what a run would change, without writing anything</source>
        <translation>Zeigen, was ein Lauf ändern würde, ohne etwas zu schreiben</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="98"/>
        <source>&amp;Stop</source>
        <translation>&amp;Stoppen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="101"/>
        <source>Stopping…</source>
        <translation>Wird gestoppt…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="104"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="108"/>
        <source>&amp;Sync</source>
        <translation>&amp;Synchronisation</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="113"/>
        <source>Main</source>
        <translation>Hauptleiste</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="181"/>
        <source>Open the demo workspace</source>
        <translation>Demo-Arbeitsbereich öffnen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="185"/>
        <source>Open workspace…</source>
        <translation>Arbeitsbereich öffnen…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="202"/>
        <source>Setting up the demo workspace: building the Acme warehouse and its syncs. This takes a few seconds the first time.</source>
        <translation>Der Demo-Arbeitsbereich wird eingerichtet: Das Acme-Warehouse und seine Synchronisationen werden angelegt. Beim ersten Mal dauert das einige Sekunden.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="252"/>
        <source>Cannot set up the demo workspace</source>
        <translation>Der Demo-Arbeitsbereich kann nicht eingerichtet werden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="265"/>
        <source>Open workspace</source>
        <translation>Arbeitsbereich öffnen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="266"/>
        <source>Sluice workspaces (*.sluice)</source>
        <translation>Sluice-Arbeitsbereiche (*.sluice)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="289"/>
        <source>Planning “%1”…</source>
        <translation>„%1“ wird geplant…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="290"/>
        <source>Starting “%1”…</source>
        <translation>„%1“ wird gestartet…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="307"/>
        <source>Reading… %1 rows</source>
        <translation>Lesen… %1 Zeilen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="312"/>
        <source>Sending %1/%2</source>
        <translation>Senden %1/%2</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="347"/>
        <source>The dry run of “%1” was stopped.</source>
        <translation>Der Probelauf von „%1“ wurde gestoppt.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="349"/>
        <source>The dry run of “%1” failed</source>
        <translation>Der Probelauf von „%1“ ist fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="359"/>
        <source>Sluice — %1</source>
        <translation>Sluice — %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="376"/>
        <source>Cannot open the workspace</source>
        <translation>Der Arbeitsbereich kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="391"/>
        <source>Select a sync to see its recent runs.</source>
        <translation>Wählen Sie eine Synchronisation, um ihre letzten Läufe zu sehen.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="395"/>
        <source>Recent runs of “%1”</source>
        <translation>Letzte Läufe von „%1“</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="410"/>
        <source>No workspace is open.</source>
        <translation>Es ist kein Arbeitsbereich geöffnet.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="411"/>
        <source>This workspace has no syncs yet. The demo workspace has some ready to run, from a sample warehouse into CSV files.</source>
        <translation>Dieser Arbeitsbereich enthält noch keine Synchronisationen. Im Demo-Arbeitsbereich sind einige startbereit: aus einem Beispiel-Warehouse in CSV-Dateien.</translation>
    </message>
</context>
<context>
    <name>sluice::RunHistoryModel</name>
    <message>
        <location filename="../ui/runhistorymodel.cpp" line="102"/>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <location filename="../ui/runhistorymodel.cpp" line="104"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/runhistorymodel.cpp" line="106"/>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <location filename="../ui/runhistorymodel.cpp" line="108"/>
        <source>Added</source>
        <translation>Hinzugefügt</translation>
    </message>
    <message>
        <location filename="../ui/runhistorymodel.cpp" line="110"/>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <location filename="../ui/runhistorymodel.cpp" line="112"/>
        <source>Removed</source>
        <translation>Entfernt</translation>
    </message>
    <message>
        <location filename="../ui/runhistorymodel.cpp" line="114"/>
        <source>Rejected</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <location filename="../ui/runhistorymodel.cpp" line="116"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>sluice::SyncListModel</name>
    <message>
        <location filename="../ui/synclistmodel.cpp" line="103"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/synclistmodel.cpp" line="106"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../ui/synclistmodel.cpp" line="149"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../ui/synclistmodel.cpp" line="151"/>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <location filename="../ui/synclistmodel.cpp" line="153"/>
        <source>Destination</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location filename="../ui/synclistmodel.cpp" line="155"/>
        <source>Mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <location filename="../ui/synclistmodel.cpp" line="157"/>
        <source>Last run</source>
        <translation>Letzter Lauf</translation>
    </message>
    <message>
        <location filename="../ui/synclistmodel.cpp" line="159"/>
        <source>Last run at</source>
        <translation>Letzter Lauf am</translation>
    </message>
    <message>
        <location filename="../ui/synclistmodel.cpp" line="161"/>
        <source>Added</source>
        <translation>Hinzugefügt</translation>
    </message>
    <message>
        <location filename="../ui/synclistmodel.cpp" line="163"/>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <location filename="../ui/synclistmodel.cpp" line="165"/>
        <source>Removed</source>
        <translation>Entfernt</translation>
    </message>
    <message>
        <location filename="../ui/synclistmodel.cpp" line="167"/>
        <source>Rejected</source>
        <translation>Abgelehnt</translation>
    </message>
</context>
</TS>
