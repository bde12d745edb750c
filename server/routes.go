package server

import "github.com/pedigree-dev/pedigree/store"

const (
	viewer   = store.RoleViewer
	operator = store.RoleOperator
	admin    = store.RoleAdmin
)

func (s *Server) registerRoutes() {
	// API
	s.handle("GET", "/api/health", "", s.apiHealth)
	s.handle("GET", "/api/openapi.json", "", s.apiOpenAPI)
	s.handle("GET", "/api/systems", viewer, s.apiSystems)
	s.handle("GET", "/api/systems/{name}/trend", viewer, s.apiSystemTrend)
	s.handle("GET", "/api/systems/{name}/poam", viewer, s.apiSystemPOAM)
	s.handle("POST", "/api/systems/{name}/pause", admin, s.apiSystemPause)
	s.handle("POST", "/api/systems/{name}/resume", admin, s.apiSystemResume)
	s.handle("POST", "/api/runs", operator, s.apiRunCreate)
	s.handle("GET", "/api/runs", viewer, s.apiRunList)
	s.handle("GET", "/api/runs/{id}", viewer, s.apiRunGet)
	s.handle("DELETE", "/api/runs/{id}", admin, s.apiRunDelete)
	s.handle("POST", "/api/runs/{id}/cancel", operator, s.apiRunCancel)
	s.handle("GET", "/api/runs/{id}/results", viewer, s.apiRunResults)
	s.handle("GET", "/api/runs/{id}/reports", viewer, s.apiRunReportList)
	s.handle("GET", "/api/runs/{id}/reports/{format}", viewer, s.apiRunReport)
	s.handle("GET", "/api/runs/{id}/evidence", viewer, s.apiRunEvidence)
	s.handle("GET", "/api/runs/{id}/diff/{otherId}", viewer, s.apiRunDiff)
	s.handle("GET", "/api/findings", viewer, s.apiFindings)
	s.handle("GET", "/api/controls/{id}", viewer, s.apiControl)
	s.handle("GET", "/api/tokens", admin, s.apiTokenList)
	s.handle("POST", "/api/tokens", admin, s.apiTokenCreate)
	s.handle("DELETE", "/api/tokens/{id}", admin, s.apiTokenDelete)
	s.handle("GET", "/api/audit", admin, s.apiAudit)

	// Dashboard
	s.handle("GET", "/login", "", s.uiLogin)
	s.handle("POST", "/login", "", s.uiLoginPost)
	s.handle("POST", "/logout", viewer, s.uiLogout)
	s.handle("GET", "/{$}", viewer, s.uiSystems)
	s.handle("GET", "/systems/{name}", viewer, s.uiSystem)
	s.handle("POST", "/systems/{name}/pause", admin, s.uiSystemPause)
	s.handle("POST", "/systems/{name}/resume", admin, s.uiSystemResume)
	s.handle("POST", "/runs", operator, s.uiRunStart)
	s.handle("GET", "/runs/{id}", viewer, s.uiRun)
	s.handle("POST", "/runs/{id}/cancel", operator, s.uiRunCancel)
	s.handle("POST", "/runs/{id}/delete", admin, s.uiRunDelete)
	s.handle("GET", "/runs/{id}/diff/{otherId}", viewer, s.uiDiff)
	s.handle("GET", "/diff", viewer, s.uiDiffForm)
	s.handle("GET", "/controls/{id}", viewer, s.uiControl)
	s.handle("GET", "/tokens", admin, s.uiTokens)
	s.handle("POST", "/tokens", admin, s.uiTokenCreate)
	s.handle("POST", "/tokens/{id}/delete", admin, s.uiTokenDelete)
	s.handle("GET", "/audit", admin, s.uiAudit)
}
