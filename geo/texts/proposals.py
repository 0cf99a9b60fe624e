"""Texts of the staff page's workflow: login with named accounts, proposals and their approval, the form
for one site, a site's history, how fresh the figures are, and the accounts tab."""

TEXTS: dict[str, dict[str, str]] = {
    # login and session
    "steward_login_intro_accounts": {
        "de": "Diese Seite ist für Partner und Mitarbeitende, die die Standortdaten pflegen. Bitte mit dem eigenen Konto anmelden.",
        "en": "This page is for partners and staff who maintain the site data. Please log in with your own account.",
    },
    "steward_account_name": {"de": "Kontoname", "en": "Account name"},
    "steward_wrong_login": {
        "de": "Kontoname oder Passwort ist falsch.",
        "en": "The account name or the password is wrong.",
    },
    "steward_wait": {
        "de": "Bitte warten: Nach einer falschen Anmeldung ist der nächste Versuch von dieser Adresse erst in {seconds} s möglich. Das Passwort wurde nicht geprüft.",
        "en": "Please wait: after a wrong login, the next attempt from this address is possible in {seconds} s. The password was not checked.",
    },
    "steward_session_idle": {
        "de": "Die Sitzung wurde nach längerer Inaktivität beendet. Bitte erneut anmelden.",
        "en": "The session ended after a period of inactivity. Please log in again.",
    },
    "steward_session_revoked": {
        "de": "Die Sitzung wurde beendet: Das Konto wurde gesperrt, hat ein neues Passwort, oder es gibt jetzt benannte Konten. Bitte erneut anmelden.",
        "en": "The session was ended: the account was disabled, has a new password, or named accounts exist now. Please log in again.",
    },
    "steward_logged_in_as": {"de": "Angemeldet als {name} ({role})", "en": "Logged in as {name} ({role})"},
    "steward_logged_in_shared": {
        "de": "Angemeldet mit dem gemeinsamen Passwort",
        "en": "Logged in with the shared password",
    },
    "steward_shared_password_note": {
        "de": "Einzelplatzbetrieb: Das gemeinsame Passwort passt nur, wenn eine einzige Person die Daten pflegt. Der Verlauf nennt dann keine Namen, es gibt keine Partner und keine Freigabe nach dem Vier-Augen-Prinzip. Mit dem ersten benannten Konto (`python -m geo accounts add …`) gilt das gemeinsame Passwort nicht mehr.",
        "en": "One-person installation: the shared password suits only a single person keeping the data. The history then names nobody, there are no partners and no four-eyes approval. With the first named account (`python -m geo accounts add …`) the shared password stops working.",
    },
    "steward_role_admin": {"de": "Verwaltung", "en": "admin"},
    "steward_role_editor": {"de": "Redaktion", "en": "editor"},
    "steward_role_partner": {"de": "Partner", "en": "partner"},
    # tabs
    "steward_tab_form": {"de": "Standort bearbeiten", "en": "Edit a site"},
    "steward_tab_proposals": {"de": "Vorschläge prüfen", "en": "Review proposals"},
    "steward_tab_own_proposals": {"de": "Meine Vorschläge", "en": "My proposals"},
    "steward_tab_history": {"de": "Verlauf", "en": "History"},
    "steward_tab_freshness": {"de": "Aktualität", "en": "Freshness"},
    "steward_tab_accounts": {"de": "Konten", "en": "Accounts"},
    # import by a partner: a proposal
    "steward_upload_hint_partner": {
        "de": "Noch keine Datei gewählt. Ihre Änderungen werden als Vorschlag gespeichert und erst nach Freigabe durch die Redaktion sichtbar.",
        "en": "No file chosen yet. Your changes are stored as a proposal and become visible only after an editor approves them.",
    },
    "steward_propose": {"de": "Als Vorschlag einreichen", "en": "Submit as proposal"},
    "steward_propose_help": {
        "de": "Speichert genau diese Änderungen als Vorschlag; Besucher sehen sie erst nach der Freigabe durch eine Person der Redaktion.",
        "en": "Stores exactly these changes as a proposal; visitors see them only after an editor approves them.",
    },
    "steward_proposal_stored": {
        "de": "Vorschlag #{number} gespeichert. Er wird sichtbar, sobald die Redaktion ihn freigibt; den Stand sehen Sie unter „Meine Vorschläge“.",
        "en": "Proposal #{number} stored. It becomes visible once an editor approves it; see its state under 'My proposals'.",
    },
    "steward_nothing_to_propose": {
        "de": "Der Vorschlag würde nichts ändern; nichts gespeichert.",
        "en": "The proposal would change nothing; nothing was stored.",
    },
    "steward_new_map_caption": {
        "de": "Lage der neuen Standorte ({count}), nummeriert wie in der Tabelle:",
        "en": "Where the new sites are ({count}), numbered as in the table:",
    },
    "steward_new_map_alt": {
        "de": "Karte der neuen Standorte: {sites}",
        "en": "Map of the new sites: {sites}",
    },
    # reviewing proposals
    "steward_no_pending": {"de": "Keine offenen Vorschläge.", "en": "No open proposals."},
    "steward_pending_intro": {
        "de": "Offene Vorschläge: {count}. Verglichen wird mit den Daten von jetzt: Übernommen wird genau, was die Tabelle zeigt.",
        "en": "Open proposals: {count}. They are compared with the data as it is now: exactly what the table shows is applied.",
    },
    "steward_choose_proposal": {"de": "Vorschlag", "en": "Proposal"},
    "steward_proposal_label": {
        "de": "#{number} · {author} · {when} · Standorte: {sites} · {kind} {label}",
        "en": "#{number} · {author} · {when} · sites: {sites} · {kind} {label}",
    },
    "steward_proposal_kind_file": {"de": "Datei", "en": "file"},
    "steward_proposal_kind_form": {"de": "Formular", "en": "form"},
    "steward_proposal_author": {"de": "Vorgeschlagen von {author}.", "en": "Proposed by {author}."},
    "steward_own_proposal": {
        "de": "Ihr eigener Vorschlag: Freigeben muss eine andere Person der Redaktion (Vier-Augen-Prinzip).",
        "en": "Your own proposal: another editor must approve it (four-eyes rule).",
    },
    "steward_proposal_no_longer_fits": {
        "de": "Der Vorschlag passt nicht mehr zu den heutigen Daten (Probleme: {count}); er kann nur abgelehnt werden.",
        "en": "The proposal no longer fits today's data (problems: {count}); it can only be rejected.",
    },
    "steward_approve": {"de": "Freigeben und übernehmen", "en": "Approve and apply"},
    "steward_approve_help": {
        "de": "Übernimmt genau die angezeigten Änderungen; der Verlauf nennt den Partner und Sie. Rückgängig unter „Versionen und Rückgängig“.",
        "en": "Applies exactly the changes shown; the history names the partner and you. Undo under 'Versions and undo'.",
    },
    "steward_reject_reason": {
        "de": "Grund der Ablehnung (sieht der Partner)",
        "en": "Reason for rejecting (the partner sees it)",
    },
    "steward_reject": {"de": "Ablehnen", "en": "Reject"},
    "steward_proposal_approved": {
        "de": "Vorschlag #{number} freigegeben und übernommen (Felder im Verlauf: {fields}).",
        "en": "Proposal #{number} approved and applied (fields in the history: {fields}).",
    },
    "steward_proposal_rejected": {
        "de": "Vorschlag #{number} abgelehnt; der Partner sieht den Grund.",
        "en": "Proposal #{number} rejected; the partner sees the reason.",
    },
    "steward_proposal_closed": {
        "de": "Dieser Vorschlag ist schon entschieden oder gibt es nicht mehr.",
        "en": "This proposal has been decided already or no longer exists.",
    },
    "steward_decided_heading": {"de": "Zuletzt entschieden", "en": "Recently decided"},
    "steward_no_own_proposals": {
        "de": "Sie haben noch nichts vorgeschlagen.",
        "en": "You have not proposed anything yet.",
    },
    "steward_own_proposals_intro": {
        "de": "Ihre Vorschläge, neueste zuerst. Freigegebene sind für Besucher sichtbar; bei abgelehnten steht der Grund.",
        "en": "Your proposals, newest first. Approved ones are visible to visitors; rejected ones show the reason.",
    },
    "steward_col_proposal": {"de": "Vorschlag", "en": "Proposal"},
    "steward_col_author": {"de": "Von", "en": "By"},
    "steward_col_submitted": {"de": "Eingereicht", "en": "Submitted"},
    "steward_col_status": {"de": "Stand", "en": "State"},
    "steward_col_decided": {"de": "Entschieden", "en": "Decided"},
    "steward_col_reason": {"de": "Grund", "en": "Reason"},
    "steward_status_pending": {"de": "offen", "en": "open"},
    "steward_status_approved": {"de": "freigegeben", "en": "approved"},
    "steward_status_rejected": {"de": "abgelehnt", "en": "rejected"},
    # the form for one site
    "steward_form_no_sites": {
        "de": "In Ihrem Bereich gibt es keine Standorte.",
        "en": "There are no sites in your scope.",
    },
    "steward_form_intro": {
        "de": "Beschreibung und Flächenangaben eines Standorts. Jede Angabe braucht die Seite, die sie nennt, und deren Datum. Übernehmen vermerkt heute als Datum der letzten Prüfung.",
        "en": "A site's description and plot figures. Each figure needs the page that states it and that page's date. Applying records today as the date of the last check.",
    },
    "steward_form_intro_partner": {
        "de": "Beschreibung und Flächenangaben eines Ihrer Standorte. Jede Angabe braucht die Seite, die sie nennt, und deren Datum. Ihr Vorschlag wird nach Freigabe durch die Redaktion sichtbar; auch ein unveränderter Vorschlag bestätigt die Angaben.",
        "en": "The description and plot figures of one of your sites. Each figure needs the page that states it and that page's date. Your proposal becomes visible once an editor approves it; an unchanged proposal confirms the figures too.",
    },
    "steward_form_choose": {"de": "Standort", "en": "Site"},
    "steward_form_placeholder": {"de": "Standort wählen …", "en": "Choose a site …"},
    "steward_form_description_de": {"de": "Beschreibung (deutsch)", "en": "Description (German)"},
    "steward_form_description_en": {"de": "Beschreibung (englisch)", "en": "Description (English)"},
    "steward_form_figures": {"de": "Flächenangaben", "en": "Plot figures"},
    "steward_form_figures_help": {
        "de": "Zum Bearbeiten eine Angabe aufklappen. Ein leerer Wert entfernt die Angabe. Stand: JJJJ-MM-TT, JJJJ-MM oder JJJJ.",
        "en": "Open a figure to edit it. An empty value removes the figure. Date: YYYY-MM-DD, YYYY-MM or YYYY.",
    },
    "steward_form_value": {"de": "{field}: Wert", "en": "{field}: value"},
    "steward_form_value_en": {"de": "Wert auf Englisch", "en": "Value in English"},
    "steward_form_as_of": {"de": "Stand (Datum der Quelle)", "en": "Date (of the source)"},
    "steward_form_source": {"de": "Quelle (Adresse der Seite)", "en": "Source (address of the page)"},
    "steward_form_codes": {
        "de": "Erlaubte Werte: {codes}; mehrere mit ;",
        "en": "Allowed values: {codes}; several with ;",
    },
    "steward_form_empty_removes": {"de": "Leer lassen entfernt die Angabe.", "en": "Leave empty to remove the figure."},
    "steward_form_apply": {"de": "Übernehmen", "en": "Apply"},
    "steward_form_propose": {"de": "Als Vorschlag einreichen", "en": "Submit as proposal"},
    "steward_form_errors": {
        "de": "Fehler: {count} – so kann das Formular nicht übernommen werden:",
        "en": "Errors: {count} – the form cannot be applied like this:",
    },
    "steward_form_applied": {
        "de": "Übernommen für {site} (Felder im Verlauf: {fields}).",
        "en": "Applied for {site} (fields in the history: {fields}).",
    },
    # history
    "steward_history_choose": {"de": "Verlauf des Standorts", "en": "History of the site"},
    "steward_history_help": {
        "de": "Jede übernommene Änderung: wann, wer vorgeschlagen und wer freigegeben hat, jedes Feld vorher und nachher.",
        "en": "Every applied change: when, who proposed and who approved it, each field before and after.",
    },
    "steward_history_empty": {
        "de": "Für diesen Standort ist keine Änderung verzeichnet.",
        "en": "No change is logged for this site.",
    },
    "steward_history_kind_proposal": {"de": "Vorschlag", "en": "proposal"},
    "steward_history_kind_import": {"de": "Import", "en": "import"},
    "steward_history_kind_figures": {"de": "Kreiszahlen", "en": "district figures"},
    "steward_history_kind_undo": {"de": "Rückgängig", "en": "undo"},
    "steward_history_kind_restore": {"de": "Wiederherstellung", "en": "restore"},
    "steward_col_when": {"de": "wann", "en": "when"},
    "steward_col_proposed_by": {"de": "vorgeschlagen von", "en": "proposed by"},
    "steward_col_approved_by": {"de": "freigegeben von", "en": "approved by"},
    # freshness
    "steward_stale_months": {"de": "Veraltet nach (Monaten)", "en": "Stale after (months)"},
    "steward_freshness_intro": {
        "de": "Wie viele Standorte die wichtigsten Angaben haben („7 von 9“) und wie viele davon veraltet sind. Als bestätigt gilt das spätere Datum aus Stand der Quelle und letzter Prüfung; veraltet ist, was älter als {months} Monate oder undatiert ist.",
        "en": "How many sites have each key figure ('7 of 9') and how many of those are stale. A figure counts as confirmed on the later of its source's date and the last check; stale is what is older than {months} months or undated.",
    },
    "steward_freshness_programmes": {"de": "Je Programm", "en": "Per programme"},
    "steward_freshness_partners": {"de": "Je Partner", "en": "Per partner"},
    "steward_stale_heading": {"de": "Veraltete Angaben ({count})", "en": "Stale figures ({count})"},
    "steward_stale_none": {"de": "Keine veralteten Angaben.", "en": "No stale figures."},
    "steward_stale_csv": {"de": "Liste als CSV (für Partner)", "en": "List as CSV (for partners)"},
    "steward_col_group": {"de": "Gruppe", "en": "Group"},
    "steward_col_fact": {"de": "Angabe", "en": "Figure"},
    "steward_coverage_cell": {"de": "{have} von {sites}", "en": "{have} of {sites}"},
    "steward_coverage_stale": {"de": "({count} veraltet)", "en": "({count} stale)"},
    "steward_col_oldest": {"de": "Älteste Bestätigung", "en": "Oldest confirmation"},
    "steward_col_partner": {"de": "Partner", "en": "Partner"},
    "steward_col_email": {"de": "E-Mail", "en": "E-mail"},
    "steward_col_value": {"de": "Wert", "en": "Value"},
    "steward_col_as_of": {"de": "Stand der Quelle", "en": "Source date"},
    "steward_col_confirmed": {"de": "Zuletzt bestätigt", "en": "Last confirmed"},
    "steward_col_source": {"de": "Quelle", "en": "Source"},
    # accounts (admins)
    "steward_accounts_intro": {
        "de": "Konten anlegen und Passwörter setzen: auf dem Server mit `python -m geo accounts`. Sperren beendet die Sitzungen des Kontos bei dessen nächster Aktion.",
        "en": "Add accounts and set passwords on the server with `python -m geo accounts`. Disabling ends the account's sessions at its next action.",
    },
    "steward_disable_choice": {"de": "Konto sperren", "en": "Disable an account"},
    "steward_disable": {"de": "Sperren", "en": "Disable"},
    "steward_account_disabled": {"de": "Konto {name} gesperrt.", "en": "Account {name} disabled."},
    "steward_col_account": {"de": "Konto", "en": "Account"},
    "steward_col_role": {"de": "Rolle", "en": "Role"},
    "steward_col_scope": {"de": "Bereich", "en": "Scope"},
    "steward_col_state": {"de": "Zustand", "en": "State"},
    "steward_account_active": {"de": "aktiv", "en": "active"},
    "steward_account_disabled_since": {"de": "gesperrt seit {when}", "en": "disabled since {when}"},
}
