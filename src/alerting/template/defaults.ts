/**
 * @module
 * The templates every notification can use without a `templates:` file, under the names
 * Alertmanager's configuration defaults refer to (`email.default.subject`,
 * `slack.default.title`, …). Subjects and titles read as Alertmanager's do —
 * `[FIRING:2] HighLatency api (prod)`: the status, how many fire, the group's label values, and
 * in parentheses the other labels all alerts share. The HTML email body is Vigil's own.
 * A user's template file may redefine any of them.
 */

/** Parsed before the user's template files, so theirs win. */
export const DEFAULT_TEMPLATES = `
{{ define "__alertmanager" }}Alertmanager{{ end }}

{{ define "__alertmanagerURL" }}{{ .ExternalURL }}/#/alerts?receiver={{ .Receiver | urlquery }}{{ end }}

{{ define "__subject" -}}
[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}]
{{- " " }}{{ .GroupLabels.SortedPairs.Values | join " " }}
{{- if gt (len .CommonLabels) (len .GroupLabels) }} ({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join " " }}{{ end }}){{ end }}
{{- end }}

{{ define "__description" }}{{ end }}

{{ define "__text_alert_list" }}{{ range . }}Labels:
{{ range .Labels.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Annotations:
{{ range .Annotations.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Source: {{ .GeneratorURL }}
{{ end }}{{ end }}

{{ define "slack.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "slack.default.fallback" }}{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}{{ end }}
{{ define "slack.default.callbackid" }}{{ end }}
{{ define "slack.default.pretext" }}{{ end }}
{{ define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "slack.default.iconemoji" }}{{ end }}
{{ define "slack.default.iconurl" }}{{ end }}
{{ define "slack.default.text" }}{{ end }}
{{ define "slack.default.footer" }}{{ end }}

{{ define "email.default.subject" }}{{ template "__subject" . }}{{ end }}

{{ define "email.default.text" -}}
{{ template "__subject" . }}
{{ if gt (len .Alerts.Firing) 0 }}
Firing:
{{ template "__text_alert_list" .Alerts.Firing }}{{ end }}
{{- if gt (len .Alerts.Resolved) 0 }}
Resolved:
{{ template "__text_alert_list" .Alerts.Resolved }}{{ end }}
View in {{ template "__alertmanager" . }}: {{ template "__alertmanagerURL" . }}
{{ end }}

{{ define "__email_alert_html" -}}
<tr><td style="padding:8px 16px;border-top:1px solid #e4e7eb">
{{- range .Labels.SortedPairs }}<strong>{{ .Name }}</strong> = {{ .Value }}<br>{{ end }}
{{- range .Annotations.SortedPairs }}<em>{{ .Name }}</em>: {{ .Value }}<br>{{ end }}
{{- if .GeneratorURL }}<a href="{{ .GeneratorURL }}">Source</a>{{ end }}
</td></tr>
{{ end }}

{{ define "email.default.html" -}}
<!DOCTYPE html>
<html>
<head>
<meta name="viewport" content="width=device-width">
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>{{ template "__subject" . }}</title>
</head>
<body style="margin:0;padding:16px;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;font-size:14px;color:#1f2328">
<table width="100%" cellpadding="0" cellspacing="0" style="max-width:640px;margin:0 auto;background:#fff;border:1px solid #e4e7eb">
<tr><td style="padding:16px;color:#fff;background:{{ if eq .Status "firing" }}#d1242f{{ else }}#1a7f37{{ end }}">
{{ .Alerts | len }} alert{{ if gt (len .Alerts) 1 }}s{{ end }} for {{ range .GroupLabels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}
</td></tr>
<tr><td style="padding:16px"><a href="{{ template "__alertmanagerURL" . }}">View in {{ template "__alertmanager" . }}</a></td></tr>
{{ if gt (len .Alerts.Firing) 0 -}}
<tr><td style="padding:8px 16px;font-weight:bold">[{{ .Alerts.Firing | len }}] Firing</td></tr>
{{ range .Alerts.Firing }}{{ template "__email_alert_html" . }}{{ end }}
{{- end }}
{{- if gt (len .Alerts.Resolved) 0 -}}
<tr><td style="padding:8px 16px;font-weight:bold">[{{ .Alerts.Resolved | len }}] Resolved</td></tr>
{{ range .Alerts.Resolved }}{{ template "__email_alert_html" . }}{{ end }}
{{- end }}
<tr><td style="padding:16px;color:#656d76;font-size:12px">Sent by {{ template "__alertmanager" . }}: {{ .ExternalURL }}</td></tr>
</table>
</body>
</html>
{{ end }}
`;
