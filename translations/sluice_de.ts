<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>QObject</name>
    <message>
        <source>Column “%1”: drag it onto a destination field to link them.</source>
        <translation>Spalte „%1“: Ziehen Sie sie auf ein Zielfeld, um beide zu verknüpfen.</translation>
    </message>
    <message>
        <source>The model no longer returns column “%1”, but the mapping still sends it to “%2”. Select the link and press Delete, or map another column to “%2”.</source>
        <translation>Das Modell liefert die Spalte „%1“ nicht mehr, aber die Zuordnung sendet sie noch an „%2“. Wählen Sie die Verknüpfung aus und drücken Sie Entf, oder ordnen Sie „%2“ eine andere Spalte zu.</translation>
    </message>
    <message>
        <source>Every record sends “%1” to “%2”. Double-click to change it.</source>
        <translation>Für jeden Datensatz wird „%1“ an „%2“ gesendet. Zum Ändern doppelklicken.</translation>
    </message>
    <message>
        <source>missing: %1</source>
        <translation>fehlt: %1</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>Konstante</translation>
    </message>
    <message>
        <source>Field “%1”</source>
        <translation>Feld „%1“</translation>
    </message>
    <message>
        <source>Expects %1.</source>
        <translation>Erwartet %1.</translation>
    </message>
    <message>
        <source>★ Required: every record must have a value.</source>
        <translation>★ Erforderlich: Jeder Datensatz muss einen Wert haben.</translation>
    </message>
    <message>
        <source>Key: can identify a record.</source>
        <translation>Schlüssel: kann einen Datensatz identifizieren.</translation>
    </message>
    <message>
        <source>A new field Auto-map suggests; accept the suggestion to add it.</source>
        <translation>Ein neues Feld, das „Automatisch zuordnen“ vorschlägt; nehmen Sie den Vorschlag an, um es hinzuzufügen.</translation>
    </message>
    <message>
        <source>Double-click to send a constant value.</source>
        <translation>Doppelklicken, um einen konstanten Wert zu senden.</translation>
    </message>
    <message>
        <source>new field</source>
        <translation>neues Feld</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>schreibgeschützt</translation>
    </message>
    <message>
        <source>Suggested: %1 → %2. Click to accept.</source>
        <translation>Vorschlag: %1 → %2. Zum Annehmen klicken.</translation>
    </message>
    <message>
        <source>Click to select and edit its transforms; Delete removes it.</source>
        <translation>Klicken, um sie auszuwählen und ihre Umwandlungen zu bearbeiten; Entf entfernt sie.</translation>
    </message>
    <message>
        <source>Field “%1” (%2)</source>
        <translation>Feld „%1“ (%2)</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>RunDisplay</name>
    <message>
        <source>Never run</source>
        <translation>Noch nie gelaufen</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Partly rejected</source>
        <translation>Teilweise abgelehnt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <source>Today %1</source>
        <translation>Heute %1</translation>
    </message>
    <message>
        <source>Yesterday %1</source>
        <translation>Gestern %1</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>Insert</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Upsert</source>
        <translation>Upsert</translation>
    </message>
    <message>
        <source>Mirror</source>
        <translation>Spiegeln</translation>
    </message>
    <message>
        <source>“%1” succeeded: %2 added, %3 changed, %4 removed, %5 unchanged.</source>
        <translation>„%1“ erfolgreich: %2 hinzugefügt, %3 geändert, %4 entfernt, %5 unverändert.</translation>
    </message>
    <message>
        <source>“%1” finished with problems: %2 added, %3 changed, %4 removed. %5</source>
        <translation>„%1“ mit Problemen beendet: %2 hinzugefügt, %3 geändert, %4 entfernt. %5</translation>
    </message>
    <message>
        <source>“%1”: %2</source>
        <translation>„%1“: %2</translation>
    </message>
    <message>
        <source>“%1” failed: %2</source>
        <translation>„%1“ fehlgeschlagen: %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Sluice sends the rows of your warehouse to the apps where your teams work.</source>
        <translation>Sluice schickt die Zeilen Ihres Data Warehouse in die Anwendungen, mit denen Ihre Teams arbeiten.</translation>
    </message>
    <message>
        <source>Open the workspace file &lt;path&gt;.</source>
        <translation>Die Arbeitsbereich-Datei &lt;Pfad&gt; öffnen.</translation>
    </message>
    <message>
        <source>path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>Open the demo workspace, creating it if needed.</source>
        <translation>Den Demo-Arbeitsbereich öffnen und bei Bedarf anlegen.</translation>
    </message>
    <message>
        <source>Use either --workspace or --demo, not both.</source>
        <translation>Verwenden Sie entweder --workspace oder --demo, nicht beides.</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>Unerwartetes Argument: %1</translation>
    </message>
</context>
<context>
    <name>sluice::ConnectionDialog</name>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Verbindung testen</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>Neue Verbindung</translation>
    </message>
    <message>
        <source>Edit connection</source>
        <translation>Verbindung bearbeiten</translation>
    </message>
    <message>
        <source>Source (where rows come from)</source>
        <translation>Quelle (woher die Zeilen kommen)</translation>
    </message>
    <message>
        <source>Destination (where rows go)</source>
        <translation>Ziel (wohin die Zeilen gehen)</translation>
    </message>
    <message>
        <source>e.g. Sales warehouse</source>
        <translation>z. B. Vertriebs-Warehouse</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>&amp;Rolle:</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>&amp;Typ:</translation>
    </message>
    <message>
        <source>&amp;Name: *</source>
        <translation>&amp;Name: *</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>* required · point at a setting for an explanation</source>
        <translation>* erforderlich · Zeigen Sie auf eine Einstellung, um eine Erklärung zu sehen</translation>
    </message>
    <message>
        <source>Stored securely; leave empty to keep it</source>
        <translation>Sicher gespeichert; leer lassen, um den Wert beizubehalten</translation>
    </message>
    <message>
        <source>Read from the environment variable %1; leave empty to keep it</source>
        <translation>Wird aus der Umgebungsvariable %1 gelesen; leer lassen, um dies beizubehalten</translation>
    </message>
    <message>
        <source>Kept in the secret store, or env:NAME</source>
        <translation>Wird im Passwortspeicher abgelegt – oder env:NAME</translation>
    </message>
    <message>
        <source>A file; relative paths start at the workspace folder</source>
        <translation>Eine Datei; relative Pfade beginnen im Ordner des Arbeitsbereichs</translation>
    </message>
    <message>
        <source>A folder; relative paths start at the workspace folder</source>
        <translation>Ein Ordner; relative Pfade beginnen im Ordner des Arbeitsbereichs</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Wird getestet…</translation>
    </message>
    <message>
        <source>Test succeeded</source>
        <translation>Test erfolgreich</translation>
    </message>
    <message>
        <source>Test failed</source>
        <translation>Test fehlgeschlagen</translation>
    </message>
    <message>
        <source>Give the connection a name.</source>
        <translation>Geben Sie der Verbindung einen Namen.</translation>
    </message>
    <message>
        <source>Choose the type of connection.</source>
        <translation>Wählen Sie den Verbindungstyp.</translation>
    </message>
</context>
<context>
    <name>sluice::ConnectionsPage</name>
    <message>
        <source>&amp;New…</source>
        <translation>&amp;Neu…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>&amp;Test</source>
        <translation>&amp;Testen</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Add a connection (%1)</source>
        <translation>Eine Verbindung hinzufügen (%1)</translation>
    </message>
    <message>
        <source>Edit the selected connection (Enter)</source>
        <translation>Die ausgewählte Verbindung bearbeiten (Eingabetaste)</translation>
    </message>
    <message>
        <source>Delete the selected connection (Del)</source>
        <translation>Die ausgewählte Verbindung löschen (Entf)</translation>
    </message>
    <message>
        <source>Check that the selected connection works</source>
        <translation>Prüfen, ob die ausgewählte Verbindung funktioniert</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>Could not load the connections: %1</source>
        <translation>Die Verbindungen konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Unknown type &quot;%1&quot;</source>
        <translation>Unbekannter Typ „%1“</translation>
    </message>
    <message>
        <source>Saved the connection &quot;%1&quot;.</source>
        <translation>Die Verbindung „%1“ wurde gespeichert.</translation>
    </message>
    <message>
        <source>Delete connection</source>
        <translation>Verbindung löschen</translation>
    </message>
    <message>
        <source>Delete the connection &quot;%1&quot;?</source>
        <translation>Die Verbindung „%1“ löschen?</translation>
    </message>
    <message>
        <source>Models and syncs are not deleted with it: a connection they still use cannot be deleted.</source>
        <translation>Modelle und Synchronisationen werden dabei nicht gelöscht: Eine Verbindung, die sie noch verwenden, kann nicht gelöscht werden.</translation>
    </message>
    <message>
        <source>Could not delete &quot;%1&quot;: %2</source>
        <translation>„%1“ konnte nicht gelöscht werden: %2</translation>
    </message>
    <message>
        <source>Deleted the connection &quot;%1&quot;.</source>
        <translation>Die Verbindung „%1“ wurde gelöscht.</translation>
    </message>
    <message>
        <source>Testing &quot;%1&quot;…</source>
        <translation>„%1“ wird getestet…</translation>
    </message>
</context>
<context>
    <name>sluice::DryRunDialog</name>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Ändern</translation>
    </message>
    <message>
        <source>Dry run of “%1”</source>
        <translation>Probelauf von „%1“</translation>
    </message>
    <message>
        <source>Nothing was written. A run now would add %1, change %2 and remove %3 records; %4 are unchanged.</source>
        <translation>Es wurde nichts geschrieben. Ein Lauf würde jetzt %1 Datensätze hinzufügen, %2 ändern und %3 entfernen; %4 sind unverändert.</translation>
    </message>
    <message>
        <source>%1 changed rows are skipped: this sync&apos;s mode never updates.</source>
        <translation>%1 geänderte Zeilen werden übersprungen: Der Modus dieser Synchronisation aktualisiert nie.</translation>
    </message>
    <message>
        <source>%1 rows cannot be sent as they are.</source>
        <translation>%1 Zeilen können so nicht gesendet werden.</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>There is nothing else to send.</source>
        <translation>Sonst gibt es nichts zu senden.</translation>
    </message>
    <message>
        <source>There is nothing to send: the destination is up to date.</source>
        <translation>Es gibt nichts zu senden: Das Ziel ist auf dem neuesten Stand.</translation>
    </message>
    <message>
        <source>Examples of the records a run would send:</source>
        <translation>Beispiele der Datensätze, die ein Lauf senden würde:</translation>
    </message>
</context>
<context>
    <name>sluice::MainWindow</name>
    <message>
        <source>Sluice</source>
        <translation>Sluice</translation>
    </message>
    <message>
        <source>&amp;Open workspace…</source>
        <translation>Arbeitsbereich &amp;öffnen…</translation>
    </message>
    <message>
        <source>Open the &amp;demo workspace</source>
        <translation>&amp;Demo-Arbeitsbereich öffnen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Run now</source>
        <translation>Jetzt aus&amp;führen</translation>
    </message>
    <message>
        <source>Send the selected sync&apos;s changes to its destination now</source>
        <translation>Die Änderungen der gewählten Synchronisation jetzt an ihr Ziel senden</translation>
    </message>
    <message>
        <source>&amp;Dry run</source>
        <translation>&amp;Probelauf</translation>
    </message>
    <message>
        <source>Show what a run would change, without writing anything</source>
        <translation>Zeigen, was ein Lauf ändern würde, ohne etwas zu schreiben</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Stoppen</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird gestoppt…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Sync</source>
        <translation>&amp;Synchronisation</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Hauptleiste</translation>
    </message>
    <message>
        <source>Open the demo workspace</source>
        <translation>Demo-Arbeitsbereich öffnen</translation>
    </message>
    <message>
        <source>Open workspace…</source>
        <translation>Arbeitsbereich öffnen…</translation>
    </message>
    <message>
        <source>Setting up the demo workspace: building the Acme warehouse and its syncs. This takes a few seconds the first time.</source>
        <translation>Der Demo-Arbeitsbereich wird eingerichtet: Das Acme-Warehouse und seine Synchronisationen werden angelegt. Beim ersten Mal dauert das einige Sekunden.</translation>
    </message>
    <message>
        <source>Cannot set up the demo workspace</source>
        <translation>Der Demo-Arbeitsbereich kann nicht eingerichtet werden</translation>
    </message>
    <message>
        <source>Open workspace</source>
        <translation>Arbeitsbereich öffnen</translation>
    </message>
    <message>
        <source>Sluice workspaces (*.sluice)</source>
        <translation>Sluice-Arbeitsbereiche (*.sluice)</translation>
    </message>
    <message>
        <source>Planning “%1”…</source>
        <translation>„%1“ wird geplant…</translation>
    </message>
    <message>
        <source>Starting “%1”…</source>
        <translation>„%1“ wird gestartet…</translation>
    </message>
    <message>
        <source>Reading… %1 rows</source>
        <translation>Lesen… %1 Zeilen</translation>
    </message>
    <message>
        <source>Sending %1/%2</source>
        <translation>Senden %1/%2</translation>
    </message>
    <message>
        <source>The dry run of “%1” was stopped.</source>
        <translation>Der Probelauf von „%1“ wurde gestoppt.</translation>
    </message>
    <message>
        <source>The dry run of “%1” failed</source>
        <translation>Der Probelauf von „%1“ ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>Sluice — %1</source>
        <translation>Sluice — %1</translation>
    </message>
    <message>
        <source>Cannot open the workspace</source>
        <translation>Der Arbeitsbereich kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Select a sync to see its recent runs.</source>
        <translation>Wählen Sie eine Synchronisation, um ihre letzten Läufe zu sehen.</translation>
    </message>
    <message>
        <source>Recent runs of “%1”</source>
        <translation>Letzte Läufe von „%1“</translation>
    </message>
    <message>
        <source>No workspace is open.</source>
        <translation>Es ist kein Arbeitsbereich geöffnet.</translation>
    </message>
    <message>
        <source>This workspace has no syncs yet. The demo workspace has some ready to run, from a sample warehouse into CSV files.</source>
        <translation>Dieser Arbeitsbereich enthält noch keine Synchronisationen. Im Demo-Arbeitsbereich sind einige startbereit: aus einem Beispiel-Warehouse in CSV-Dateien.</translation>
    </message>
    <message>
        <source>Syncs</source>
        <translation>Synchronisationen</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>&amp;New sync…</source>
        <translation>&amp;Neue Synchronisation…</translation>
    </message>
    <message>
        <source>&amp;Edit sync…</source>
        <translation>Synchronisation &amp;bearbeiten…</translation>
    </message>
    <message>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1 (Strg+%2)</translation>
    </message>
    <message>
        <source>Select a sync and press Run now (Ctrl+R) to run it; Dry run (Ctrl+Shift+R) shows first what it would change.</source>
        <translation>Wählen Sie eine Synchronisation und klicken Sie auf „Jetzt ausführen“ (Strg+R), um sie auszuführen; „Probelauf“ (Strg+Umschalt+R) zeigt vorher, was sie ändern würde.</translation>
    </message>
</context>
<context>
    <name>sluice::MappingDocument</name>
    <message>
        <source>a whole number</source>
        <translation>eine ganze Zahl</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>eine Zahl</translation>
    </message>
    <message>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>yes/no</source>
        <translation>Ja/Nein</translation>
    </message>
    <message>
        <source>a date</source>
        <translation>ein Datum</translation>
    </message>
    <message>
        <source>a date and time</source>
        <translation>ein Datum mit Uhrzeit</translation>
    </message>
    <message>
        <source>any value</source>
        <translation>einen beliebigen Wert</translation>
    </message>
    <message>
        <source>The constant “%1” is not %2, which “%3” expects.</source>
        <translation>„%3“ erwartet %2; die Konstante „%1“ passt nicht dazu.</translation>
    </message>
    <message>
        <source>Column “%1” gives %2, but “%3” expects %4. Map another column to it, or change the model.</source>
        <translation>Die Spalte „%1“ liefert %2, aber „%3“ erwartet %4. Ordnen Sie eine andere Spalte zu oder ändern Sie das Modell.</translation>
    </message>
    <message>
        <source>“%1” is required by the destination, but nothing is mapped to it. Drag a column onto it or give it a constant value.</source>
        <translation>„%1“ ist im Ziel erforderlich, aber nichts ist ihm zugeordnet. Ziehen Sie eine Spalte darauf oder geben Sie ihm einen konstanten Wert.</translation>
    </message>
    <message>
        <source>“%1” is fed by more than one link. Remove all but one.</source>
        <translation>„%1“ wird von mehr als einer Verknüpfung gespeist. Entfernen Sie alle bis auf eine.</translation>
    </message>
    <message>
        <source>Column “%1” is mapped to “%2”, but the model no longer returns it. Remove the link or map another column.</source>
        <translation>Die Spalte „%1“ ist „%2“ zugeordnet, wird vom Modell aber nicht mehr geliefert. Entfernen Sie die Verknüpfung oder ordnen Sie eine andere Spalte zu.</translation>
    </message>
    <message>
        <source>“%1” is read-only in the destination and cannot receive values. Remove the link.</source>
        <translation>„%1“ ist im Ziel schreibgeschützt und kann keine Werte aufnehmen. Entfernen Sie die Verknüpfung.</translation>
    </message>
    <message>
        <source>“%1” is mapped, but the destination has no such field. Remove the link.</source>
        <translation>„%1“ ist zugeordnet, aber das Ziel hat kein solches Feld. Entfernen Sie die Verknüpfung.</translation>
    </message>
    <message>
        <source>Link %1 to %2</source>
        <translation>%1 mit %2 verknüpfen</translation>
    </message>
    <message>
        <source>Set %1 to a constant</source>
        <translation>%1 auf einen konstanten Wert setzen</translation>
    </message>
    <message>
        <source>Remove the link to %1</source>
        <translation>Verknüpfung zu %1 entfernen</translation>
    </message>
    <message>
        <source>Change the transforms of %1</source>
        <translation>Umwandlungen von %1 ändern</translation>
    </message>
    <message>
        <source>Add field %1</source>
        <translation>Feld %1 hinzufügen</translation>
    </message>
    <message>
        <source>Accept the suggestion for %1</source>
        <translation>Vorschlag für %1 annehmen</translation>
    </message>
    <message numerus="yes">
        <source>Accept %n suggestion(s)</source>
        <translation>
            <numerusform>%n Vorschlag annehmen</numerusform>
            <numerusform>%n Vorschläge annehmen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sluice::MappingEditor</name>
    <message>
        <source>Auto-&amp;map</source>
        <translation>A&amp;utomatisch zuordnen</translation>
    </message>
    <message>
        <source>Suggest links between columns and fields with the same or similar names. Your own links are never changed.</source>
        <translation>Verknüpfungen zwischen Spalten und Feldern mit gleichen oder ähnlichen Namen vorschlagen. Ihre eigenen Verknüpfungen werden nie geändert.</translation>
    </message>
    <message>
        <source>&amp;Link</source>
        <translation>Ver&amp;knüpfen</translation>
    </message>
    <message>
        <source>Link the selected column to the selected field (Ctrl+L)</source>
        <translation>Die ausgewählte Spalte mit dem ausgewählten Feld verknüpfen (Strg+L)</translation>
    </message>
    <message>
        <source>&amp;Constant…</source>
        <translation>K&amp;onstante…</translation>
    </message>
    <message>
        <source>Send the same value to the selected field for every record</source>
        <translation>Für jeden Datensatz denselben Wert an das ausgewählte Feld senden</translation>
    </message>
    <message>
        <source>Add &amp;field…</source>
        <translation>&amp;Feld hinzufügen…</translation>
    </message>
    <message>
        <source>Add a column to the file this sync writes</source>
        <translation>Der Datei, die diese Synchronisation schreibt, eine Spalte hinzufügen</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>&amp;Accept all</source>
        <translation>&amp;Alle annehmen</translation>
    </message>
    <message>
        <source>&amp;Dismiss</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <source>Mapping canvas</source>
        <translation>Zuordnungsfläche</translation>
    </message>
    <message>
        <source>Drag a column onto a field to link them. With the keyboard: arrows pick a column, Right moves to the fields, arrows pick a field, Enter or Ctrl+L links them. Delete removes the selected link.</source>
        <translation>Ziehen Sie eine Spalte auf ein Feld, um beide zu verknüpfen. Mit der Tastatur: Die Pfeiltasten wählen eine Spalte, Pfeil rechts wechselt zu den Feldern, die Pfeiltasten wählen ein Feld, Eingabetaste oder Strg+L verknüpft beide. Entf entfernt die ausgewählte Verknüpfung.</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>Verknüpfen</translation>
    </message>
    <message>
        <source>Undo (Ctrl+Z)</source>
        <translation>Rückgängig (Strg+Z)</translation>
    </message>
    <message>
        <source>Redo (Ctrl+Shift+Z)</source>
        <translation>Wiederherstellen (Strg+Umschalt+Z)</translation>
    </message>
    <message>
        <source>Add field</source>
        <translation>Feld hinzufügen</translation>
    </message>
    <message>
        <source>Name of the new field (column):</source>
        <translation>Name des neuen Felds (Spalte):</translation>
    </message>
    <message>
        <source>There already is a field “%1”.</source>
        <translation>Es gibt bereits ein Feld „%1“.</translation>
    </message>
    <message>
        <source>Constant value</source>
        <translation>Konstanter Wert</translation>
    </message>
    <message>
        <source>Value sent to “%1” for every record (replaces its current link):</source>
        <translation>Wert, der für jeden Datensatz an „%1“ gesendet wird (ersetzt die aktuelle Verknüpfung):</translation>
    </message>
    <message numerus="yes">
        <source>%n suggested link(s), drawn dashed. Click one to accept it, or:</source>
        <translation>
            <numerusform>%n vorgeschlagene Verknüpfung, gestrichelt dargestellt. Klicken Sie darauf, um sie anzunehmen, oder:</numerusform>
            <numerusform>%n vorgeschlagene Verknüpfungen, gestrichelt dargestellt. Klicken Sie auf eine, um sie anzunehmen, oder:</numerusform>
        </translation>
    </message>
    <message>
        <source>Auto-map found nothing new to suggest: no unlinked field has a column with a matching name.</source>
        <translation>„Automatisch zuordnen“ hat nichts Neues gefunden: Für kein unverknüpftes Feld gibt es eine Spalte mit passendem Namen.</translation>
    </message>
    <message numerus="yes">
        <source>…and %n more (hover for all).</source>
        <translation>
            <numerusform>…und %n weiteres (Maus darüber halten, um alle zu sehen).</numerusform>
            <numerusform>…und %n weitere (Maus darüber halten, um alle zu sehen).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sluice::MappingScene</name>
    <message>
        <source>Model columns</source>
        <translation>Modellspalten</translation>
    </message>
    <message>
        <source>Destination fields</source>
        <translation>Zielfelder</translation>
    </message>
    <message>
        <source>The model has no columns yet: run it once.</source>
        <translation>Das Modell hat noch keine Spalten: Führen Sie es einmal aus.</translation>
    </message>
    <message>
        <source>Constant values</source>
        <translation>Konstante Werte</translation>
    </message>
    <message>
        <source>Required, but nothing is mapped to it.</source>
        <translation>Erforderlich, aber nichts ist zugeordnet.</translation>
    </message>
    <message>
        <source>The destination has no such field: remove the link.</source>
        <translation>Das Ziel hat kein solches Feld: Entfernen Sie die Verknüpfung.</translation>
    </message>
    <message>
        <source>Read-only in the destination: remove the link.</source>
        <translation>Im Ziel schreibgeschützt: Entfernen Sie die Verknüpfung.</translation>
    </message>
    <message>
        <source>No fields yet: drag a column here,
use Auto-map or Add field…</source>
        <translation>Noch keine Felder: Ziehen Sie eine Spalte hierher,
verwenden Sie „Automatisch zuordnen“ oder „Feld hinzufügen…“</translation>
    </message>
    <message>
        <source>Pick a destination object first.</source>
        <translation>Wählen Sie zuerst ein Zielobjekt.</translation>
    </message>
</context>
<context>
    <name>sluice::ModelEditor</name>
    <message>
        <source>e.g. Active customers</source>
        <translation>z. B. Aktive Kunden</translation>
    </message>
    <message>
        <source>What the rows are, for your colleagues</source>
        <translation>Was die Zeilen darstellen – als Hinweis für Ihr Team</translation>
    </message>
    <message>
        <source>&amp;SQL query</source>
        <translation>SQL-Ab&amp;frage</translation>
    </message>
    <message>
        <source>Whole &amp;table:</source>
        <translation>Ganze &amp;Tabelle:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>Na&amp;me:</translation>
    </message>
    <message>
        <source>S&amp;ource:</source>
        <translation>&amp;Quelle:</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Beschreibung:</translation>
    </message>
    <message>
        <source>The model reads every row of the chosen table. Switch to &quot;SQL query&quot; to filter, join or rename columns.</source>
        <translation>Das Modell liest jede Zeile der gewählten Tabelle. Wechseln Sie zu „SQL-Abfrage“, um zu filtern, Tabellen zu verknüpfen oder Spalten umzubenennen.</translation>
    </message>
    <message>
        <source>Tables and columns</source>
        <translation>Tabellen und Spalten</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Ausführen</translation>
    </message>
    <message>
        <source>Run the query and preview its rows (Ctrl+Enter)</source>
        <translation>Die Abfrage ausführen und ihre Zeilen in der Vorschau zeigen (Strg+Eingabetaste)</translation>
    </message>
    <message>
        <source>The column that identifies each row; syncs match records by it</source>
        <translation>Die Spalte, die jede Zeile eindeutig kennzeichnet; Synchronisationen ordnen Datensätze darüber zu</translation>
    </message>
    <message>
        <source>Check &amp;key</source>
        <translation>Schlüssel &amp;prüfen</translation>
    </message>
    <message>
        <source>Read every row and check the key is never empty and never repeats</source>
        <translation>Alle Zeilen lesen und prüfen, dass der Schlüssel nie leer ist und sich nie wiederholt</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Save the model (Ctrl+S)</source>
        <translation>Das Modell speichern (Strg+S)</translation>
    </message>
    <message>
        <source>&amp;Primary key:</source>
        <translation>P&amp;rimärschlüssel:</translation>
    </message>
    <message>
        <source>No source connection yet</source>
        <translation>Noch keine Quellverbindung</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Choose a source connection first. Add one on the Connections page if there is none.</source>
        <translation>Wählen Sie zuerst eine Quellverbindung. Falls es keine gibt, legen Sie auf der Seite „Verbindungen“ eine an.</translation>
    </message>
    <message>
        <source>Write a SELECT query first.</source>
        <translation>Schreiben Sie zuerst eine SELECT-Abfrage.</translation>
    </message>
    <message>
        <source>Choose a table first.</source>
        <translation>Wählen Sie zuerst eine Tabelle.</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Wird ausgeführt…</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Gestoppt.</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>no rows · %1</source>
        <translation>keine Zeilen · %1</translation>
    </message>
    <message>
        <source>≥ %1</source>
        <translation>≥ %1</translation>
    </message>
    <message>
        <source>rows 1–%1 of %2 · %3</source>
        <translation>Zeilen 1–%1 von %2 · %3</translation>
    </message>
    <message>
        <source> · the preview stops at %1 rows</source>
        <translation> · die Vorschau endet bei %1 Zeilen</translation>
    </message>
    <message>
        <source> · stopped</source>
        <translation> · gestoppt</translation>
    </message>
    <message>
        <source> · counting…</source>
        <translation> · wird gezählt…</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>St&amp;oppen</translation>
    </message>
    <message>
        <source>Stop the query (Esc)</source>
        <translation>Die Abfrage stoppen (Esc)</translation>
    </message>
    <message>
        <source>Stop chec&amp;k</source>
        <translation>Prüfung sto&amp;ppen</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
    <message>
        <source>Choose a source connection first.</source>
        <translation>Wählen Sie zuerst eine Quellverbindung.</translation>
    </message>
    <message>
        <source>Choose the key column first.</source>
        <translation>Wählen Sie zuerst die Schlüsselspalte.</translation>
    </message>
    <message>
        <source>Checking every row…</source>
        <translation>Alle Zeilen werden geprüft…</translation>
    </message>
    <message>
        <source>Key check stopped.</source>
        <translation>Schlüsselprüfung gestoppt.</translation>
    </message>
    <message>
        <source>✓ %1 is filled in and unique in all %2 rows.</source>
        <translation>✓ %1 ist in allen %2 Zeilen gefüllt und eindeutig.</translation>
    </message>
    <message>
        <source>%1 rows have no %2 (rows %3)</source>
        <translation>%1 Zeilen haben keinen Wert in %2 (Zeilen %3)</translation>
    </message>
    <message>
        <source>%1 rows repeat a %2 already used (e.g. %3)</source>
        <translation>%1 Zeilen wiederholen einen bereits verwendeten Wert von %2 (z. B. %3)</translation>
    </message>
    <message>
        <source>✗ %1 cannot be the key: %2 (of %3 rows). Pick another column or fix the query.</source>
        <translation>✗ %1 kann nicht der Schlüssel sein: %2 (von %3 Zeilen). Wählen Sie eine andere Spalte oder korrigieren Sie die Abfrage.</translation>
    </message>
    <message>
        <source>; </source>
        <translation>; </translation>
    </message>
    <message>
        <source>model</source>
        <translation>modell</translation>
    </message>
    <message>
        <source>Export to CSV</source>
        <translation>Als CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Exporting rows to %1…</source>
        <translation>Zeilen werden nach %1 exportiert…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>%1 rows written…</source>
        <translation>%1 Zeilen geschrieben…</translation>
    </message>
    <message>
        <source>Exported %1 rows to %2.</source>
        <translation>%1 Zeilen nach %2 exportiert.</translation>
    </message>
    <message>
        <source>Give the model a name before saving it.</source>
        <translation>Geben Sie dem Modell vor dem Speichern einen Namen.</translation>
    </message>
    <message>
        <source>Model &quot;%1&quot; saved.</source>
        <translation>Modell „%1“ gespeichert.</translation>
    </message>
    <message>
        <source>E&amp;xport</source>
        <translation>E&amp;xportieren</translation>
    </message>
    <message>
        <source>Write every row of the model to a CSV file or Google Sheets</source>
        <translation>Alle Zeilen des Modells in eine CSV-Datei oder nach Google Sheets schreiben</translation>
    </message>
    <message>
        <source>To a &amp;CSV file…</source>
        <translation>In eine &amp;CSV-Datei…</translation>
    </message>
    <message>
        <source>To &amp;Google Sheets…</source>
        <translation>Nach &amp;Google Sheets…</translation>
    </message>
    <message>
        <source>Add a Google Sheets connection first</source>
        <translation>Legen Sie zuerst eine Google-Sheets-Verbindung an</translation>
    </message>
    <message>
        <source>Export to Google Sheets</source>
        <translation>Nach Google Sheets exportieren</translation>
    </message>
    <message>
        <source>Empty: a new spreadsheet</source>
        <translation>Leer: eine neue Tabelle</translation>
    </message>
    <message>
        <source>The address or id of a spreadsheet the connection&apos;s account can edit; leave it empty to create a new one</source>
        <translation>Adresse oder ID einer Tabelle, die das Konto der Verbindung bearbeiten darf; leer lassen, um eine neue anzulegen</translation>
    </message>
    <message>
        <source>Sheet1</source>
        <translation>Tabellenblatt1</translation>
    </message>
    <message>
        <source>A new tab is created; an existing tab&apos;s values are replaced</source>
        <translation>Ein neues Tabellenblatt wird angelegt; die Werte eines vorhandenen werden ersetzt</translation>
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation>&amp;Verbindung:</translation>
    </message>
    <message>
        <source>&amp;Spreadsheet:</source>
        <translation>&amp;Tabelle:</translation>
    </message>
    <message>
        <source>&amp;Tab:</source>
        <translation>Tabellen&amp;blatt:</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Choose a Google Sheets connection.</source>
        <translation>Wählen Sie eine Google-Sheets-Verbindung.</translation>
    </message>
    <message>
        <source>Exporting rows to Google Sheets (%1)…</source>
        <translation>Zeilen werden nach Google Sheets exportiert (%1)…</translation>
    </message>
    <message>
        <source>Exported %1 rows to the tab “%2” of %3</source>
        <translation>%1 Zeilen in das Tabellenblatt „%2“ von %3 exportiert</translation>
    </message>
</context>
<context>
    <name>sluice::ModelsPage</name>
    <message>
        <source>&amp;New model</source>
        <translation>&amp;Neues Modell</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Primary key</source>
        <translation>Primärschlüssel</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Start a new model (Ctrl+N)</source>
        <translation>Ein neues Modell beginnen (Strg+N)</translation>
    </message>
    <message>
        <source>Delete the selected model</source>
        <translation>Das ausgewählte Modell löschen</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Could not load the models: %1</source>
        <translation>Die Modelle konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>(missing connection)</source>
        <translation>(Verbindung fehlt)</translation>
    </message>
    <message>
        <source>Discard changes?</source>
        <translation>Änderungen verwerfen?</translation>
    </message>
    <message>
        <source>The model &quot;%1&quot; has changes that are not saved. Discard them?</source>
        <translation>Das Modell „%1“ hat ungespeicherte Änderungen. Sollen sie verworfen werden?</translation>
    </message>
    <message>
        <source>New model: write a query, run it, pick the key, then save.</source>
        <translation>Neues Modell: Schreiben Sie eine Abfrage, führen Sie sie aus, wählen Sie den Schlüssel und speichern Sie dann.</translation>
    </message>
    <message>
        <source>Delete model?</source>
        <translation>Modell löschen?</translation>
    </message>
    <message>
        <source>Delete the model &quot;%1&quot;? This cannot be undone.</source>
        <translation>Das Modell „%1“ löschen? Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Cannot delete the model</source>
        <translation>Das Modell kann nicht gelöscht werden</translation>
    </message>
    <message>
        <source>Model &quot;%1&quot; deleted.</source>
        <translation>Modell „%1“ gelöscht.</translation>
    </message>
</context>
<context>
    <name>sluice::PreviewModel</name>
    <message>
        <source>(could not be read again)</source>
        <translation>(konnte nicht erneut gelesen werden)</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>wird geladen…</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>sluice::RejectedDialog</name>
    <message>
        <source>Create</source>
        <translation>Anlegen</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Create or update</source>
        <translation>Anlegen oder aktualisieren</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Rejected records — %1</source>
        <translation>Abgelehnte Datensätze — %1</translation>
    </message>
    <message>
        <source>Records rejected in the run of %1: %2. Each row says what the destination answered.</source>
        <translation>Im Lauf vom %1 abgelehnte Datensätze: %2. Jede Zeile zeigt, was das Ziel geantwortet hat.</translation>
    </message>
    <message>
        <source>Search by key…</source>
        <translation>Nach Schlüssel suchen…</translation>
    </message>
    <message>
        <source>Search by key</source>
        <translation>Nach Schlüssel suchen</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Vorgang</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>Als CSV &amp;exportieren…</translation>
    </message>
    <message>
        <source>Save the listed records (key, operation, reason) as a CSV file (%1)</source>
        <translation>Die aufgelisteten Datensätze (Schlüssel, Vorgang, Grund) als CSV-Datei speichern (%1)</translation>
    </message>
    <message>
        <source>&amp;Retry rejected</source>
        <translation>&amp;Abgelehnte erneut senden</translation>
    </message>
    <message>
        <source>Run the sync again now: rejected records are always sent again, together with anything that changed since</source>
        <translation>Die Synchronisation jetzt erneut ausführen: Abgelehnte Datensätze werden immer erneut gesendet, zusammen mit allem, was sich seitdem geändert hat</translation>
    </message>
    <message>
        <source>Retrying: sent %1 of %2…</source>
        <translation>Erneutes Senden: %1 von %2 gesendet…</translation>
    </message>
    <message>
        <source>Retrying: read %1 rows…</source>
        <translation>Erneutes Senden: %1 Zeilen gelesen…</translation>
    </message>
    <message>
        <source>Could not read the rejected records: %1</source>
        <translation>Die abgelehnten Datensätze konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Showing the first %1.</source>
        <translation>Die ersten %1 werden angezeigt.</translation>
    </message>
    <message>
        <source>rejected-run-%1.csv</source>
        <translation>abgelehnt-lauf-%1.csv</translation>
    </message>
    <message>
        <source>Export rejected records</source>
        <translation>Abgelehnte Datensätze exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Could not write %1: %2. Choose a folder you can write to.</source>
        <translation>%1 konnte nicht geschrieben werden: %2. Wählen Sie einen Ordner, in den Sie schreiben dürfen.</translation>
    </message>
    <message>
        <source>Could not write %1: %2. Check the free disk space.</source>
        <translation>%1 konnte nicht geschrieben werden: %2. Prüfen Sie den freien Speicherplatz.</translation>
    </message>
    <message>
        <source>Saved the rejected records (%1) to %2.</source>
        <translation>Die abgelehnten Datensätze (%1) wurden in %2 gespeichert.</translation>
    </message>
    <message>
        <source>&amp;Stop retry</source>
        <translation>Erneutes Senden &amp;stoppen</translation>
    </message>
    <message>
        <source>Retrying the rejected records of %1…</source>
        <translation>Die abgelehnten Datensätze von „%1“ werden erneut gesendet…</translation>
    </message>
    <message>
        <source>The retry was stopped; the rejected records may not all have been sent.</source>
        <translation>Das erneute Senden wurde gestoppt; möglicherweise wurden nicht alle abgelehnten Datensätze gesendet.</translation>
    </message>
    <message>
        <source>The retry failed: %1</source>
        <translation>Das erneute Senden ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>The sync ran again, but its result could not be read: %1</source>
        <translation>Die Synchronisation wurde erneut ausgeführt, aber ihr Ergebnis konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>%1 of %2 rejected records went through.</source>
        <translation>%1 von %2 abgelehnten Datensätzen wurden übernommen.</translation>
    </message>
    <message>
        <source>Rejected again (%1):</source>
        <translation>Erneut abgelehnt (%1):</translation>
    </message>
    <message>
        <source>• %1: %2</source>
        <translation>• %1: %2</translation>
    </message>
    <message>
        <source>…and %1 more.</source>
        <translation>…und %1 weitere.</translation>
    </message>
</context>
<context>
    <name>sluice::RunCharts</name>
    <message>
        <source>Duration (min)</source>
        <translation>Dauer (min)</translation>
    </message>
    <message>
        <source>Duration (s)</source>
        <translation>Dauer (s)</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Hinzugefügt</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Entfernt</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Runs, oldest to newest (start time)</source>
        <translation>Läufe, vom ältesten zum neuesten (Startzeit)</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <source>#%1</source>
        <translation>#%1</translation>
    </message>
    <message>
        <source>%1 #%2</source>
        <translation>%1 #%2</translation>
    </message>
    <message>
        <source>Runs of %1, oldest to newest (start time)</source>
        <translation>Läufe vom %1, vom ältesten zum neuesten (Startzeit)</translation>
    </message>
    <message>
        <source>No runs to show yet</source>
        <translation>Noch keine Läufe vorhanden</translation>
    </message>
    <message>
        <source>Records sent per run, and how long each run took</source>
        <translation>Gesendete Datensätze pro Lauf und Dauer jedes Laufs</translation>
    </message>
    <message>
        <source>%1
%2 · %3
Added %4, changed %5, removed %6, rejected %7
Took %8</source>
        <translation>%1
%2 · %3
%4 hinzugefügt, %5 geändert, %6 entfernt, %7 abgelehnt
Dauer: %8</translation>
    </message>
</context>
<context>
    <name>sluice::RunsModel</name>
    <message>
        <source>Double-click to see the rejected records</source>
        <translation>Doppelklicken, um die abgelehnten Datensätze zu sehen</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Synchronisation</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Hinzugefügt</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Entfernt</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>sluice::RunsPage</name>
    <message>
        <source>All syncs</source>
        <translation>Alle Synchronisationen</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>S&amp;ync:</source>
        <translation>S&amp;ynchronisation:</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>S&amp;tatus:</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Read the runs again (%1)</source>
        <translation>Die Läufe neu einlesen (%1)</translation>
    </message>
    <message>
        <source>Rejected &amp;records…</source>
        <translation>&amp;Abgelehnte Datensätze…</translation>
    </message>
    <message>
        <source>Show the records the destination rejected in the selected run, export or retry them (double-click a run)</source>
        <translation>Die Datensätze anzeigen, die das Ziel im ausgewählten Lauf abgelehnt hat, um sie zu exportieren oder erneut zu senden (Doppelklick auf einen Lauf)</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Could not read the runs: %1</source>
        <translation>Die Läufe konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Runs: %1</source>
        <translation>Läufe: %1</translation>
    </message>
    <message>
        <source>The newest %1 runs</source>
        <translation>Die neuesten %1 Läufe</translation>
    </message>
    <message>
        <source>That run had no rejected records.</source>
        <translation>Dieser Lauf hat keine abgelehnten Datensätze.</translation>
    </message>
    <message>
        <source>That run had no rejected records: %1</source>
        <translation>Dieser Lauf hat keine abgelehnten Datensätze: %1</translation>
    </message>
</context>
<context>
    <name>sluice::SchemaTree</name>
    <message>
        <source>Double-click a table or column to insert its name into the SQL.</source>
        <translation>Doppelklicken Sie auf eine Tabelle oder Spalte, um ihren Namen in die SQL-Abfrage einzufügen.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>view</source>
        <translation>Ansicht</translation>
    </message>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>table</source>
        <translation>Tabelle</translation>
    </message>
    <message>
        <source>No tables</source>
        <translation>Keine Tabellen</translation>
    </message>
</context>
<context>
    <name>sluice::SqlEditor</name>
    <message>
        <source>SELECT … FROM …   (Ctrl+Enter runs the query)</source>
        <translation>SELECT … FROM …   (Strg+Eingabetaste führt die Abfrage aus)</translation>
    </message>
</context>
<context>
    <name>sluice::SyncEditor</name>
    <message>
        <source>Sync</source>
        <translation>Synchronisation</translation>
    </message>
    <message>
        <source>New sync</source>
        <translation>Neue Synchronisation</translation>
    </message>
    <message>
        <source>e.g. At-risk customers to the CRM</source>
        <translation>z. B. Gefährdete Kunden ins CRM</translation>
    </message>
    <message>
        <source>Choose a model…</source>
        <translation>Modell wählen…</translation>
    </message>
    <message>
        <source>Choose a destination…</source>
        <translation>Ziel wählen…</translation>
    </message>
    <message>
        <source>Choose where to write…</source>
        <translation>Wählen, wohin geschrieben wird…</translation>
    </message>
    <message>
        <source>What to sync</source>
        <translation>Was synchronisiert wird</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>So&amp;urce model:</source>
        <translation>&amp;Quellmodell:</translation>
    </message>
    <message>
        <source>D&amp;estination:</source>
        <translation>&amp;Ziel:</translation>
    </message>
    <message>
        <source>Destination ob&amp;ject:</source>
        <translation>Zielob&amp;jekt:</translation>
    </message>
    <message>
        <source>Choose a field…</source>
        <translation>Feld wählen…</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>A mirror run stops before it would delete more than this share of the destination&apos;s records, in case the model returned too few rows by mistake.</source>
        <translation>Ein Lauf im Modus „Spiegeln“ stoppt, bevor er mehr als diesen Anteil der Datensätze im Ziel löschen würde – falls das Modell versehentlich zu wenige Zeilen geliefert hat.</translation>
    </message>
    <message>
        <source>Stop before deleting more than:</source>
        <translation>Stoppen, bevor mehr gelöscht würde als:</translation>
    </message>
    <message>
        <source>Manually</source>
        <translation>Manuell</translation>
    </message>
    <message>
        <source>Every N minutes</source>
        <translation>Alle N Minuten</translation>
    </message>
    <message>
        <source>Every N hours</source>
        <translation>Alle N Stunden</translation>
    </message>
    <message>
        <source>Daily at</source>
        <translation>Täglich um</translation>
    </message>
    <message>
        <source>Sluice does not start scheduled runs by itself yet. Until it does, use Run now, or call “sluice-cli run” from your system&apos;s scheduler.</source>
        <translation>Sluice startet geplante Läufe noch nicht selbst. Verwenden Sie bis dahin „Jetzt ausführen“ oder rufen Sie „sluice-cli run“ aus dem Zeitplaner Ihres Systems auf.</translation>
    </message>
    <message>
        <source>How</source>
        <translation>Wie</translation>
    </message>
    <message>
        <source>&amp;Key match:</source>
        <translation>Schlüsselab&amp;gleich:</translation>
    </message>
    <message>
        <source>M&amp;ode:</source>
        <translation>&amp;Modus:</translation>
    </message>
    <message>
        <source>Sc&amp;hedule:</source>
        <translation>Zeit&amp;plan:</translation>
    </message>
    <message>
        <source>A dry run shows what a run would send, without writing anything. Press Dry run.</source>
        <translation>Ein Probelauf zeigt, was ein Lauf senden würde, ohne etwas zu schreiben. Klicken Sie auf „Probelauf“.</translation>
    </message>
    <message>
        <source>Run now sends the changes to the destination. The log of the run appears here.</source>
        <translation>„Jetzt ausführen“ sendet die Änderungen an das Ziel. Das Protokoll des Laufs erscheint hier.</translation>
    </message>
    <message>
        <source>No run yet.</source>
        <translation>Noch kein Lauf.</translation>
    </message>
    <message>
        <source>Ma&amp;pping</source>
        <translation>Zuor&amp;dnung</translation>
    </message>
    <message>
        <source>Dr&amp;y run plan</source>
        <translation>P&amp;robelauf-Plan</translation>
    </message>
    <message>
        <source>Run lo&amp;g</source>
        <translation>&amp;Laufprotokoll</translation>
    </message>
    <message>
        <source>Dry run</source>
        <translation>Probelauf</translation>
    </message>
    <message>
        <source>Shows what a run would send, writing nothing (%1). Saves your changes first.</source>
        <translation>Zeigt, was ein Lauf senden würde, ohne etwas zu schreiben (%1). Speichert zuvor Ihre Änderungen.</translation>
    </message>
    <message>
        <source>Run now</source>
        <translation>Jetzt ausführen</translation>
    </message>
    <message>
        <source>Sends the changes to the destination (%1). Saves your changes first.</source>
        <translation>Sendet die Änderungen an das Ziel (%1). Speichert zuvor Ihre Änderungen.</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>S&amp;toppen</translation>
    </message>
    <message>
        <source>Stops the run; what was already sent stays sent.</source>
        <translation>Stoppt den Lauf; bereits Gesendetes bleibt gesendet.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Saves the sync (%1)</source>
        <translation>Speichert die Synchronisation (%1)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Could not open the sync: %1</source>
        <translation>Die Synchronisation konnte nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>Sync “%1”</source>
        <translation>Synchronisation „%1“</translation>
    </message>
    <message>
        <source>Choose or type a name…</source>
        <translation>Namen wählen oder eingeben…</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Pick an existing file or type a new name; a new file is created by the first run.</source>
        <translation>Wählen Sie eine vorhandene Datei oder geben Sie einen neuen Namen ein; eine neue Datei wird beim ersten Lauf angelegt.</translation>
    </message>
    <message>
        <source>(no primary key)</source>
        <translation>(kein Primärschlüssel)</translation>
    </message>
    <message>
        <source>(choose a model)</source>
        <translation>(Modell wählen)</translation>
    </message>
    <message>
        <source>Could not read the model&apos;s columns: %1</source>
        <translation>Die Spalten des Modells konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Could not read the destination&apos;s fields: %1</source>
        <translation>Die Felder des Ziels konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>(none: the destination keeps its own key column)</source>
        <translation>(keines: Das Ziel behält seine eigene Schlüsselspalte)</translation>
    </message>
    <message>
        <source>%1 (not available)</source>
        <translation>%1 (nicht verfügbar)</translation>
    </message>
    <message>
        <source>Choose a destination to see its modes.</source>
        <translation>Wählen Sie ein Ziel, um seine Modi zu sehen.</translation>
    </message>
    <message>
        <source>Other (kept as it is): %1</source>
        <translation>Andere (unverändert beibehalten): %1</translation>
    </message>
    <message>
        <source>Give the sync a name.</source>
        <translation>Geben Sie der Synchronisation einen Namen.</translation>
    </message>
    <message>
        <source>Choose the model to read from.</source>
        <translation>Wählen Sie das Modell, aus dem gelesen wird.</translation>
    </message>
    <message>
        <source>The model “%1” has no primary key. Set one in the model editor: it tells Sluice which record each row is.</source>
        <translation>Das Modell „%1“ hat keinen Primärschlüssel. Legen Sie im Modell-Editor einen fest: Daran erkennt Sluice, zu welchem Datensatz jede Zeile gehört.</translation>
    </message>
    <message>
        <source>Choose a destination.</source>
        <translation>Wählen Sie ein Ziel.</translation>
    </message>
    <message>
        <source>The destination cannot be used: %1</source>
        <translation>Das Ziel kann nicht verwendet werden: %1</translation>
    </message>
    <message>
        <source>Choose the destination object (for a file: its name).</source>
        <translation>Wählen Sie das Zielobjekt (bei einer Datei: ihren Namen).</translation>
    </message>
    <message>
        <source>The destination offers no sync mode to choose.</source>
        <translation>Das Ziel bietet keinen Synchronisationsmodus zur Auswahl.</translation>
    </message>
    <message>
        <source>Loading the model&apos;s columns and the destination&apos;s fields…</source>
        <translation>Die Spalten des Modells und die Felder des Ziels werden geladen…</translation>
    </message>
    <message>
        <source>No fields are mapped. Drag a model column onto a destination field, or press Auto-map.</source>
        <translation>Es sind keine Felder zugeordnet. Ziehen Sie eine Modellspalte auf ein Zielfeld oder klicken Sie auf „Automatisch zuordnen“.</translation>
    </message>
    <message>
        <source>Choose the destination field that matches the model&apos;s key.</source>
        <translation>Wählen Sie das Zielfeld, das dem Schlüssel des Modells entspricht.</translation>
    </message>
    <message>
        <source>The key field “%1” is not available in this destination object. Choose another one.</source>
        <translation>Das Schlüsselfeld „%1“ ist in diesem Zielobjekt nicht verfügbar. Wählen Sie ein anderes.</translation>
    </message>
    <message>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Unsaved changes.</source>
        <translation>Ungespeicherte Änderungen.</translation>
    </message>
    <message>
        <source>Cannot save yet:</source>
        <translation>Speichern noch nicht möglich:</translation>
    </message>
    <message>
        <source>The sync cannot be saved yet: %1</source>
        <translation>Die Synchronisation kann noch nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Could not save the sync: %1</source>
        <translation>Die Synchronisation konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>„%1“ gespeichert.</translation>
    </message>
    <message>
        <source>Planning…</source>
        <translation>Wird geplant…</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Wird ausgeführt…</translation>
    </message>
    <message>
        <source>Run of “%1” started.</source>
        <translation>Lauf von „%1“ gestartet.</translation>
    </message>
    <message>
        <source>Planning “%1”…</source>
        <translation>„%1“ wird geplant…</translation>
    </message>
    <message>
        <source>Running “%1”…</source>
        <translation>„%1“ wird ausgeführt…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird gestoppt…</translation>
    </message>
    <message>
        <source>Reading… %1 rows</source>
        <translation>Lesen… %1 Zeilen</translation>
    </message>
    <message>
        <source>Sending %1/%2 · %3 rows read</source>
        <translation>Senden %1/%2 · %3 Zeilen gelesen</translation>
    </message>
    <message>
        <source>Dry run of “%1” finished.</source>
        <translation>Probelauf von „%1“ abgeschlossen.</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>The mirror guard stopped this run. If the deletions are right, raise the limit under Mode, save, and run again.</source>
        <translation>Der Löschschutz hat diesen Lauf gestoppt. Wenn die Löschungen richtig sind, erhöhen Sie die Grenze unter „Modus“, speichern Sie und starten Sie den Lauf erneut.</translation>
    </message>
    <message>
        <source>The dry run was stopped.</source>
        <translation>Der Probelauf wurde gestoppt.</translation>
    </message>
    <message>
        <source>The dry run failed: %1</source>
        <translation>Der Probelauf ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Nothing was written. A run now would create %1, update %2 and delete %3 records; %4 are unchanged (%5 rows read).</source>
        <translation>Es wurde nichts geschrieben. Ein Lauf würde jetzt %1 Datensätze anlegen, %2 aktualisieren und %3 löschen; %4 sind unverändert (%5 Zeilen gelesen).</translation>
    </message>
    <message>
        <source>%1 changed rows are skipped: this sync&apos;s mode does not send them.</source>
        <translation>%1 geänderte Zeilen werden übersprungen: Der Modus dieser Synchronisation sendet sie nicht.</translation>
    </message>
    <message>
        <source>%1 rows cannot be sent as they are.</source>
        <translation>%1 Zeilen können so nicht gesendet werden.</translation>
    </message>
    <message>
        <source>A real run would stop here: it would delete more than the mirror guard allows.</source>
        <translation>Ein echter Lauf würde hier anhalten: Er würde mehr löschen, als der Löschschutz erlaubt.</translation>
    </message>
    <message>
        <source>There is nothing to send: the destination is up to date.</source>
        <translation>Es gibt nichts zu senden: Das Ziel ist auf dem neuesten Stand.</translation>
    </message>
    <message>
        <source>Examples of the records a run would send, exactly as they would be sent:</source>
        <translation>Beispiele der Datensätze, die ein Lauf senden würde, genau so, wie sie gesendet würden:</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Anlegen</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>empty (NULL)</source>
        <translation>leer (NULL)</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>The sync has changes that are not saved. Close anyway and lose them?</source>
        <translation>Die Synchronisation hat ungespeicherte Änderungen. Trotzdem schließen und die Änderungen verwerfen?</translation>
    </message>
</context>
<context>
    <name>sluice::SyncListModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <source>Last run</source>
        <translation>Letzter Lauf</translation>
    </message>
    <message>
        <source>Last run at</source>
        <translation>Letzter Lauf am</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Hinzugefügt</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Entfernt</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Abgelehnt</translation>
    </message>
</context>
<context>
    <name>sluice::TransformPanel</name>
    <message>
        <source>Trim spaces</source>
        <translation>Leerzeichen abschneiden</translation>
    </message>
    <message>
        <source>Lower case</source>
        <translation>Kleinbuchstaben</translation>
    </message>
    <message>
        <source>Upper case</source>
        <translation>Großbuchstaben</translation>
    </message>
    <message>
        <source>Default if empty</source>
        <translation>Standardwert, wenn leer</translation>
    </message>
    <message>
        <source>Format date</source>
        <translation>Datum formatieren</translation>
    </message>
    <message>
        <source>Format number</source>
        <translation>Zahl formatieren</translation>
    </message>
    <message>
        <source>Transforms</source>
        <translation>Umwandlungen</translation>
    </message>
    <message>
        <source>Click a link on the canvas to change how its value is sent (trim, case, default, date and number formats).</source>
        <translation>Klicken Sie in der Zuordnungsfläche auf eine Verknüpfung, um zu ändern, wie ihr Wert gesendet wird (Leerzeichen, Groß-/Kleinschreibung, Standardwert, Datums- und Zahlenformat).</translation>
    </message>
    <message>
        <source>&amp;Value:</source>
        <translation>&amp;Wert:</translation>
    </message>
    <message>
        <source>Transforms, applied top to bottom</source>
        <translation>Umwandlungen, von oben nach unten angewendet</translation>
    </message>
    <message>
        <source>No transforms: the value is sent as it is. Use Add to trim it, change its case, give a default or format it.</source>
        <translation>Keine Umwandlungen: Der Wert wird unverändert gesendet. Mit „Hinzufügen“ können Sie Leerzeichen abschneiden, die Groß-/Kleinschreibung ändern, einen Standardwert festlegen oder den Wert formatieren.</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <source>Apply this transform earlier</source>
        <translation>Diese Umwandlung früher anwenden</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <source>Apply this transform later</source>
        <translation>Diese Umwandlung später anwenden</translation>
    </message>
    <message>
        <source>Default if empty: “%1”</source>
        <translation>Standardwert, wenn leer: „%1“</translation>
    </message>
    <message>
        <source>Format date as %1</source>
        <translation>Datum als %1 formatieren</translation>
    </message>
    <message>
        <source>Format number with %1 decimals</source>
        <translation>Zahl mit %1 Nachkommastellen formatieren</translation>
    </message>
    <message>
        <source>Constant → %1</source>
        <translation>Konstante → %1</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Decimals:</source>
        <translation>Nachkommastellen:</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Value:</source>
        <translation>Wert:</translation>
    </message>
    <message>
        <source>e.g. dd/MM/yyyy</source>
        <translation>z. B. dd.MM.yyyy</translation>
    </message>
    <message>
        <source>sent when the value is empty</source>
        <translation>wird gesendet, wenn der Wert leer ist</translation>
    </message>
</context>
</TS>
